package io.kopek.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProcessCpuTest {

    @Test
    void aBusyProcessBesideTheBenchmarkIsCountedAsTheMachinesOtherWorkAndNamed() throws Exception {
        var before = ProcessCpu.machine();
        // a process of the machine's that is not the benchmark's: 600 ms of CPU, then it says so and waits, since an
        // ended process's time leaves /proc with it
        Process busy =
                new ProcessBuilder("perl", "-e", "$|=1; 1 while (times)[0] < 0.6; print \"spun\\n\"; sleep 5").start();
        String said = new String(busy.getInputStream().readNBytes(5), StandardCharsets.US_ASCII);
        var now = ProcessCpu.machine();
        busy.destroy();
        busy.waitFor(5, TimeUnit.SECONDS);

        ProcessCpu.Others others =
                ProcessCpu.others(before, now, Set.of(ProcessHandle.current().pid()));

        assertThat(said).isEqualTo("spun\n");
        assertThat(others.millis()).isGreaterThanOrEqualTo(550);
        assertThat(others.topMillis()).isGreaterThanOrEqualTo(550).isLessThanOrEqualTo(others.millis());
        assertThat(others.top()).isEqualTo("perl");
    }

    @Test
    void theBenchmarksOwnProcessesAreLeftOut() {
        var before = ProcessCpu.machine();
        long spent = 0;
        for (long end = System.nanoTime() + 300_000_000L; System.nanoTime() < end; ) {
            spent += Long.numberOfTrailingZeros(System.nanoTime()); // this JVM busy for 300 ms
        }
        var now = ProcessCpu.machine();
        long self = ProcessHandle.current().pid();

        ProcessCpu.Others without = ProcessCpu.others(before, now, Set.of(self));
        ProcessCpu.Others with = ProcessCpu.others(before, now, Set.of());

        assertThat(spent).isPositive();
        assertThat(with.millis() - without.millis()).isGreaterThanOrEqualTo(200);
    }

    @Test
    void aKernelWorkerThatRenamesItselfIsCountedForItsTimeInBetweenAndAReusedPidForAllOfItsOwn() {
        var before = Map.of(
                7L, new ProcessCpu.Usage("kworker/u8:2-events_unbound", 9_000, 5),
                8L, new ProcessCpu.Usage("psql", 500, 6));
        var now = Map.of(
                // a kernel worker's name says which work it runs now: the same process, 3 ticks later
                7L, new ProcessCpu.Usage("kworker/u8:2-kvfree_rcu_reclaim", 9_003, 5),
                // pid 8 ended and a new process took its number: all 4 of its ticks are in between
                8L, new ProcessCpu.Usage("pgbench", 4, 9_999));

        ProcessCpu.Others others = ProcessCpu.others(before, now, Set.of());

        assertThat(others.millis()).isEqualTo(70.0);
        assertThat(others.top()).isEqualTo("pgbench");
        assertThat(others.topMillis()).isEqualTo(40.0);
    }
}
