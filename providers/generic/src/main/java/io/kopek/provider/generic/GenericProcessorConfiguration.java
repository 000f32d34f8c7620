package io.kopek.provider.generic;

import io.kopek.provider.PaymentProvider;
import io.kopek.provider.RegistryParser;
import java.util.Map;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * One {@link PaymentProvider} bean per entry under {@code kopek.generic-processors}, and a {@link RegistryParser}
 * for each that describes its registry: adding a simple processor is a block of configuration.
 */
@AutoConfiguration
public class GenericProcessorConfiguration {

    @Bean
    static BeanDefinitionRegistryPostProcessor genericProcessors() {
        return new Registrar();
    }

    static final class Registrar implements BeanDefinitionRegistryPostProcessor, EnvironmentAware {

        private Environment environment;

        @Override
        public void setEnvironment(Environment environment) {
            this.environment = environment;
        }

        @Override
        public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
            Map<String, GenericProcessorProperties> processors = Binder.get(environment)
                    .bind("kopek.generic-processors", Bindable.mapOf(String.class, GenericProcessorProperties.class))
                    .orElse(Map.of());
            processors.forEach((id, properties) -> {
                registry.registerBeanDefinition(
                        "genericProcessor." + id,
                        new RootBeanDefinition(PaymentProvider.class, () -> new GenericProcessor(id, properties)));
                if (properties.registry() != null) {
                    registry.registerBeanDefinition(
                            "genericRegistryParser." + id,
                            new RootBeanDefinition(
                                    RegistryParser.class, () -> new GenericRegistryParser(id, properties.registry())));
                }
            });
        }
    }
}
