package io.kopek.fiscal;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.FiscalTestApplication;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModule;
import org.springframework.modulith.core.ApplicationModules;

class FiscalModuleStructureTest {

    @Test
    void theGatewayUsesOnlyThePublicApiOfTheBillingCore() {
        ApplicationModules modules = ApplicationModules.of(FiscalTestApplication.class);
        modules.verify();
        assertThat(modules.getModuleByName("fiscal"))
                .map(ApplicationModule::getBasePackage)
                .isPresent();
    }
}
