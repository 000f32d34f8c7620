/** Business time: the clock and the business time zone. */
@org.springframework.modulith.ApplicationModule(type = org.springframework.modulith.ApplicationModule.Type.OPEN)
package io.kopek.calendar;
