/**
 * Tables partitioned by business day, written once for their owners: {@link io.kopek.partition.DayPartitions} makes a
 * day's partition on demand and detaches and drops the old ones. Each owner calls it for its own tables only.
 */
@org.springframework.modulith.ApplicationModule(type = org.springframework.modulith.ApplicationModule.Type.OPEN)
package io.kopek.partition;
