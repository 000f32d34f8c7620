package io.kopek.cardpayment;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CardPaymentProperties.class)
class CardPaymentsConfiguration {}
