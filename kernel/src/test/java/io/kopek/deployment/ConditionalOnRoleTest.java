package io.kopek.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class ConditionalOnRoleTest {

    @Configuration
    static class Jobs {
        @Bean
        @ConditionalOnRole(Role.BATCH)
        String batchOnly() {
            return "job";
        }

        @Bean
        @ConditionalOnRole(Role.API)
        Integer apiOnly() {
            return 1;
        }
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Jobs.class);

    @Test
    void everyRoleIsOnWhenNoneIsConfigured() {
        runner.run(context -> assertThat(context).hasBean("batchOnly").hasBean("apiOnly"));
    }

    @Test
    void aProcessConfiguredAsApiRunsNoBatchBeans() {
        runner.withPropertyValues("kopek.roles=api")
                .run(context -> assertThat(context).doesNotHaveBean("batchOnly").hasBean("apiOnly"));
    }

    @Test
    void rolesAreReadCaseInsensitively() {
        runner.withPropertyValues("kopek.roles=BATCH, scheduler")
                .run(context -> assertThat(context).hasBean("batchOnly").doesNotHaveBean("apiOnly"));
    }
}
