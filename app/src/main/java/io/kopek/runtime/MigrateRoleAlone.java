package io.kopek.runtime;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** {@code migrate} beside another role refused as the context refreshes, before any bean exists ({@link MigrateRole}). */
@Configuration(proxyBeanMethods = false)
class MigrateRoleAlone {

    @Bean
    static BeanFactoryPostProcessor migrateRoleRunsAlone(Environment environment) {
        return beanFactory -> MigrateRole.requireAlone(environment);
    }
}
