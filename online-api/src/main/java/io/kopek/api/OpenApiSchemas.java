package io.kopek.api;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategy;
import com.fasterxml.jackson.databind.cfg.MapperConfig;
import com.fasterxml.jackson.databind.introspect.AnnotatedField;
import com.fasterxml.jackson.databind.introspect.AnnotatedMethod;
import com.fasterxml.jackson.databind.introspect.AnnotatedParameter;
import io.kopek.money.Money;
import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverter;
import io.swagger.v3.core.converter.ModelConverterContext;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.core.jackson.TypeNameResolver;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The schemas of the OpenAPI document, made from the API's own JSON configuration ({@link JsonConfiguration}).
 * springdoc describes types through swagger-core, which introspects them with Jackson 2 while the API writes
 * them with Jackson 3, so the two cannot share a mapper: swagger-core gets a copy of springdoc's mapper that names
 * properties with the API mapper's own naming strategy, enum values are what the API mapper writes for each
 * constant, and {@link Money} (written by a serializer of ours) has its schema given here.
 */
final class OpenApiSchemas {

    private OpenApiSchemas() {}

    /** swagger-core's model resolver naming properties as {@code api} does, and schemas by {@code names}. */
    static ModelResolver modelResolver(ObjectMapper springdoc, JsonMapper api, TypeNames names) {
        ObjectMapper mapper = springdoc.copy().setPropertyNamingStrategy(new ApiNaming(api));
        return new ModelResolver(mapper, names);
    }

    /**
     * The API mapper's property naming strategy (snake_case) seen from Jackson 2: each name translated by the
     * Jackson 3 strategy itself, so the document cannot name a property other than the API does. Jackson's naming
     * strategies translate the implicit name and ignore the member, which therefore is not passed on.
     */
    static final class ApiNaming extends PropertyNamingStrategy {

        private final transient JsonMapper api;

        ApiNaming(JsonMapper api) {
            this.api = api;
        }

        private String translate(String name) {
            tools.jackson.databind.PropertyNamingStrategy strategy =
                    api.serializationConfig().getPropertyNamingStrategy();
            return strategy == null ? name : strategy.nameForGetterMethod(api.serializationConfig(), null, name);
        }

        @Override
        public String nameForField(MapperConfig<?> config, AnnotatedField field, String defaultName) {
            return translate(defaultName);
        }

        @Override
        public String nameForGetterMethod(MapperConfig<?> config, AnnotatedMethod method, String defaultName) {
            return translate(defaultName);
        }

        @Override
        public String nameForSetterMethod(MapperConfig<?> config, AnnotatedMethod method, String defaultName) {
            return translate(defaultName);
        }

        @Override
        public String nameForConstructorParameter(
                MapperConfig<?> config, AnnotatedParameter ctorParam, String defaultName) {
            return translate(defaultName);
        }
    }

    /**
     * Schema names: a class's simple name, a nested class's prefixed with the class it is in
     * ({@code ReceiptDocument.Payment} is {@code ReceiptDocumentPayment}, not {@code Payment}, which is the
     * invoice payment), but for the request bodies declared in the API's handlers, whose names are chosen for the
     * document ({@code @Schema(name)} tells two apart). Two classes given one name would silently share one schema;
     * {@link #requireDistinct} refuses the document instead (an exception here would only be logged by springdoc).
     */
    static final class TypeNames extends TypeNameResolver {

        private final Map<String, Class<?>> named = new ConcurrentHashMap<>();
        private final Set<String> clashes = ConcurrentHashMap.newKeySet();

        @Override
        protected String nameForClass(Class<?> cls, Set<Options> options) {
            String name = super.nameForClass(cls, options);
            Class<?> earlier = named.putIfAbsent(name, cls);
            if (earlier != null && earlier != cls) {
                clashes.add(name + ": " + earlier.getName() + " and " + cls.getName());
            }
            return name;
        }

        @Override
        protected String getNameOfClass(Class<?> cls) {
            Class<?> outer = cls.getEnclosingClass();
            if (outer == null || outer.getPackage() == OpenApiSchemas.class.getPackage()) {
                return cls.getSimpleName();
            }
            return outer.getSimpleName() + cls.getSimpleName();
        }

        void requireDistinct() {
            if (!clashes.isEmpty()) {
                throw new IllegalStateException("types that would share a schema in the OpenAPI document (name one"
                        + " with @Schema(name = ...)): " + new TreeSet<>(clashes));
            }
        }
    }

    /**
     * Values as the API mapper writes them: an enum as the list of its constants written by it (the lower-case
     * codes, or an {@code @JsonValue}), {@link Money} as the {@code {"amount", "currency"}} its serializer writes,
     * and an {@code Object} as any JSON value. Everything else goes on down the chain to swagger-core, and its
     * properties are then described as Jackson sees them ({@link #asJackson}).
     */
    static final class ApiValues implements ModelConverter {

        static final String MONEY = "Money";

        private final JsonMapper api;
        private final ObjectMapper resolver;

        ApiValues(JsonMapper api, ModelResolver resolver) {
            this.api = api;
            this.resolver = resolver.objectMapper();
        }

        @Override
        public Schema<?> resolve(AnnotatedType type, ModelConverterContext context, Iterator<ModelConverter> chain) {
            JavaType javaType = com.fasterxml.jackson.databind.type.TypeFactory.defaultInstance()
                    .constructType(type.getType());
            Class<?> raw = javaType.getRawClass();
            if (raw == Money.class) {
                Schema<?> money = money();
                context.defineModel(MONEY, money, type, null);
                return money;
            }
            if (raw.isEnum()) {
                return enumeration(raw);
            }
            if (raw == Object.class) {
                return new Schema<>().description("Any JSON value");
            }
            Schema<?> resolved = chain.hasNext() ? chain.next().resolve(type, context, chain) : null;
            if (resolved != null && !javaType.isContainerType()) {
                String name = resolved.get$ref() != null
                        ? resolved.get$ref().substring(resolved.get$ref().lastIndexOf('/') + 1)
                        : resolved.getName();
                Schema<?> model =
                        name == null ? null : context.getDefinedModels().get(name);
                if (model != null && model.getProperties() != null) {
                    asJackson(model, javaType);
                }
            }
            return resolved;
        }

        /**
         * A model's properties as Jackson sees them. Named as it names them: swagger-core names a member whose name
         * begins with "is" or "get" and a small letter by its Java name ({@code issueDate}, where the API writes
         * {@code issue_date}). Nullable unless required or primitive: the API writes a null as null (nothing is
         * left out), and a request may send one for what it need not send. A map of {@code Object}s has any values.
         */
        @SuppressWarnings({"rawtypes", "unchecked"})
        private void asJackson(Schema model, JavaType type) {
            Map<String, Schema> properties = model.getProperties();
            Map<String, String> renamed = new HashMap<>();
            Set<String> nullable = new HashSet<>();
            for (var property :
                    resolver.getSerializationConfig().introspect(type).findProperties()) {
                String name = property.getName();
                if (!name.equals(property.getInternalName())
                        && properties.containsKey(property.getInternalName())
                        && !properties.containsKey(name)) {
                    renamed.put(property.getInternalName(), name);
                }
                JavaType propertyType = property.getPrimaryType();
                if (!propertyType.isPrimitive()
                        && (model.getRequired() == null || !model.getRequired().contains(name))) {
                    nullable.add(name);
                }
                Schema schema = properties.getOrDefault(name, properties.get(property.getInternalName()));
                if (schema != null
                        && propertyType.isMapLikeType()
                        && propertyType.getContentType().getRawClass() == Object.class) {
                    // a map of any values: swagger-core would make each value an object
                    schema.additionalProperties(true);
                }
            }
            Map<String, Schema> described = new LinkedHashMap<>();
            properties.forEach((javaName, schema) -> {
                String name = renamed.getOrDefault(javaName, javaName);
                described.put(name, nullable.contains(name) ? nullable(schema) : schema);
            });
            model.setProperties(described);
            if (model.getRequired() != null) {
                model.setRequired(((List<String>) model.getRequired())
                        .stream().map(n -> renamed.getOrDefault(n, n)).toList());
            }
        }

        /** OpenAPI 3.0 ignores anything beside a {@code $ref}, so a nullable reference is an allOf of one. */
        private static Schema<?> nullable(Schema<?> schema) {
            if (schema.get$ref() == null) {
                return schema.nullable(true);
            }
            return new Schema<>().nullable(true).allOf(List.of(schema));
        }

        private static Schema<?> money() {
            return new ObjectSchema()
                    .name(MONEY)
                    .description("An amount in integer minor units (kopecks for RUB) of an ISO 4217 currency")
                    .addProperty("amount", new IntegerSchema().format("int64"))
                    .addProperty("currency", new StringSchema().pattern("^[A-Z]{3}$"))
                    .required(List.of("amount", "currency"));
        }

        @SuppressWarnings({"rawtypes", "unchecked"})
        private Schema<?> enumeration(Class<?> type) {
            List<JsonNode> written = new ArrayList<>();
            for (Object constant : type.getEnumConstants()) {
                written.add(api.valueToTree(constant));
            }
            if (written.stream().allMatch(JsonNode::isIntegralNumber)) {
                IntegerSchema schema = new IntegerSchema();
                written.forEach(v -> schema.addEnumItemObject(v.numberValue()));
                return schema;
            }
            StringSchema schema = new StringSchema();
            written.forEach(v -> schema.addEnumItemObject(v.asString()));
            return (Schema) schema;
        }
    }
}
