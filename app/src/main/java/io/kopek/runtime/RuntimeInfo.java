package io.kopek.runtime;

import java.util.Map;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Says which roles this process plays: in {@code /actuator/info} and once in the log when it is ready. */
@Component
class RuntimeInfo implements InfoContributor {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RuntimeInfo.class);

    private final KopekProperties properties;

    RuntimeInfo(KopekProperties properties) {
        this.properties = properties;
    }

    @Override
    public void contribute(Info.Builder builder) {
        builder.withDetail(
                "kopek",
                Map.of(
                        "roles", properties.roles(),
                        "businessZone", properties.businessZone().getId()));
    }

    @EventListener(ApplicationReadyEvent.class)
    void ready() {
        log.info("Kopek is ready: roles {}, business zone {}", properties.roles(), properties.businessZone());
    }
}
