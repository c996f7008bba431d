using CsCheck;

namespace Workbench.Core.Tests.Fuzzing;

/// <summary>
/// Runs a CsCheck generator for a fixed number of cases from a fixed seed (so a run is repeatable and bounded), and
/// fails on the first case whose exception is not the one the reader documents for bad input. The failure message
/// gives the case number, so the case can be turned into a regression test.
/// </summary>
internal static class FuzzHarness
{
    /// <summary>Runs <paramref name="cases"/> cases of <paramref name="gen"/> through <paramref name="target"/>; returns how many threw the expected exception.</summary>
    public static int Run<T, TExpected>(string name, Gen<T> gen, Action<T> target, int cases, ulong seed)
        where TExpected : Exception
    {
        var pcg = new PCG(1, seed);
        int rejected = 0;
        for (int i = 0; i < cases; i++)
        {
            T input = gen.Generate(pcg, null, out _);
            try { target(input); }
            catch (TExpected) { rejected++; }
            catch (Exception e)
            {
                Assert.Fail($"{name}: case {i} (seed {seed}) crashed with {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
            }
        }
        return rejected;
    }

    /// <summary>Byte-level mutations of a valid file: a few bytes overwritten with edge values, optionally truncated or extended.</summary>
    public static Gen<byte[]> Mutations(byte[] valid)
    {
        var position = Gen.Int[0, Math.Max(0, valid.Length - 1)];
        var value = Gen.OneOf<byte>(Gen.OneOf<byte>(0, 1, 0x7F, 0x80, 0xFF, (byte)'"', (byte)'9', (byte)'-', (byte)'\n', (byte)' ', (byte)'e'), Gen.Byte);
        return Gen.Select(Gen.Select(position, value).Array[1, 6], Gen.Int[0, 3], Gen.Int[0, valid.Length], Gen.Byte.Array[0, 16])
            .Select((edits, shape, cut, tail) =>
            {
                byte[] bytes = (byte[])valid.Clone();
                foreach (var (at, v) in edits) if (at < bytes.Length) bytes[at] = v;
                return shape switch
                {
                    1 => bytes[..cut],
                    2 => [.. bytes, .. tail],
                    _ => bytes,
                };
            });
    }
}
