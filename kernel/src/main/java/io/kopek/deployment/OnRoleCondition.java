package io.kopek.deployment;

import java.util.Set;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

class OnRoleCondition implements Condition {

    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Role role = (Role) metadata.getAnnotationAttributes(ConditionalOnRole.class.getName())
                .get("value");
        return activeRoles(Binder.get(context.getEnvironment())).contains(role);
    }

    /** The platform's roles unless {@code kopek.roles} names some. */
    static Set<Role> activeRoles(Binder binder) {
        return binder.bind("kopek.roles", Bindable.setOf(Role.class)).orElseGet(Role::platform);
    }
}
