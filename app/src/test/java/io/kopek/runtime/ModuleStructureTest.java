package io.kopek.runtime;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kopek.KopekApplication;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

class ModuleStructureTest {

    @Test
    void modulesOnlyUseEachOthersPublicApi() {
        ApplicationModules.of(KopekApplication.class).verify();
    }

    @Test
    void theCheckCatchesAModuleReachingIntoAnothersInternals() {
        // fixture.modules.violating.alpha uses a class from beta's internal sub-package; the fixture lives in
        // test classes, which the module model leaves out unless told otherwise.
        assertThatThrownBy(() -> ApplicationModules.of("fixture.modules.violating", location -> true)
                        .verify())
                .hasMessageContaining("alpha")
                .hasMessageContaining("beta.internal");
    }
}
