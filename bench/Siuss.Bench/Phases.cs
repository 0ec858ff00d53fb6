using System.Diagnostics;

namespace Siuss.Bench;

/// <summary>
/// Phase marks for profiling a run: with SIUSS_BENCH_PHASES=1 each load phase's start is written to stderr
/// with the CLOCK_MONOTONIC time in seconds, the clock `perf record -k CLOCK_MONOTONIC` stamps samples with,
/// so `perf report --time START,END` can cut exactly one phase out of a recording of the register.
/// </summary>
public static class Phases
{
    private static readonly bool Enabled = Environment.GetEnvironmentVariable("SIUSS_BENCH_PHASES") == "1";

    /// <summary>Writes the mark when enabled; costs nothing otherwise.</summary>
    public static void Mark(string name)
    {
        if (!Enabled) return;
        // On Linux Stopwatch ticks are CLOCK_MONOTONIC nanoseconds.
        double seconds = Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency;
        Console.Error.WriteLine($"phase {name} monotonic={seconds:F6}");
    }
}
