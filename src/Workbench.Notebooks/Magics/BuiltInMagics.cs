using Workbench.Notebooks.Magics.Commands;

namespace Workbench.Notebooks.Magics;

/// <summary>The magic commands every session starts with, in the order <c>#!lsmagic</c> lists them.</summary>
internal static class BuiltInMagics
{
    public static IEnumerable<MagicCommand> All()
    {
        yield return new SetMagic();
        yield return new ShareMagic();
    }
}
