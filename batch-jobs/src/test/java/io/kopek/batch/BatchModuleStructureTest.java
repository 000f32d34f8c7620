package io.kopek.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.BatchTestApplication;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModule;
import org.springframework.modulith.core.ApplicationModules;

class BatchModuleStructureTest {

    @Test
    void theJobsUseOnlyThePublicApiOfTheGatewayAndTheCore() {
        ApplicationModules modules = ApplicationModules.of(BatchTestApplication.class);
        modules.verify();
        assertThat(modules.getModuleByName("batch"))
                .map(ApplicationModule::getBasePackage)
                .isPresent();
    }
}
