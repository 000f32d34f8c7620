/** Deployment roles: which parts of Kopek a process runs. */
@org.springframework.modulith.ApplicationModule(type = org.springframework.modulith.ApplicationModule.Type.OPEN)
package io.kopek.deployment;
