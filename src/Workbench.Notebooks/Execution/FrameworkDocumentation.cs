using System.Globalization;
using Microsoft.CodeAnalysis;

namespace Workbench.Notebooks.Execution;

/// <summary>
/// XML docs for a shared-framework assembly, read from the reference pack. System.Private.CoreLib has no doc file
/// of its own: its types are documented in the facades that forward to it (System.Runtime.xml and a few others),
/// so several files are consulted in order.
/// </summary>
internal sealed class FrameworkDocumentation : DocumentationProvider
{
    private static readonly string[] CoreLibFacades =
    {
        "System.Runtime", "System.Collections", "System.Runtime.InteropServices", "System.Threading", "System.Memory",
        "System.Runtime.Intrinsics", "System.Text.Encoding.Extensions", "System.Threading.Tasks",
    };

    private readonly Lazy<Dictionary<string, string>> _members;
    private readonly string _key;

    private FrameworkDocumentation(IReadOnlyList<string> files)
    {
        _key = string.Join("|", files);
        _members = new Lazy<Dictionary<string, string>>(() => Load(files));
    }

    // <doc><members><member name="M:System.Math.Sqrt(System.Double)">...</member>: the first file that has an id wins.
    private static Dictionary<string, string> Load(IReadOnlyList<string> files)
    {
        var members = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            using var reader = System.Xml.XmlReader.Create(file, new System.Xml.XmlReaderSettings { DtdProcessing = System.Xml.DtdProcessing.Ignore });
            reader.MoveToContent();
            while (!reader.EOF)
            {
                if (reader.NodeType == System.Xml.XmlNodeType.Element && reader.Name == "member" && reader.GetAttribute("name") is { } id)
                {
                    var xml = reader.ReadOuterXml();
                    members.TryAdd(id, xml);
                }
                else reader.Read();
            }
        }
        return members;
    }

    /// <summary>The provider for an assembly, or null when the reference pack has no docs for it.</summary>
    public static DocumentationProvider? For(string assemblyName, string? docsDirectory)
    {
        if (docsDirectory is null) return null;
        var names = assemblyName == "System.Private.CoreLib" ? CoreLibFacades : new[] { assemblyName };
        var files = names.Select(n => Path.Combine(docsDirectory, n + ".xml")).Where(File.Exists).ToList();
        if (files.Count == 0) return null;
        return new FrameworkDocumentation(files);
    }

    /// <inheritdoc/>
    protected override string? GetDocumentationForSymbol(string documentationMemberID, CultureInfo preferredCulture, CancellationToken cancellationToken = default)
    {
        try
        {
            return _members.Value.TryGetValue(documentationMemberID, out var xml) ? xml : null;
        }
        catch (Exception e) when (e is System.Xml.XmlException or IOException)
        {
            return null;
        }
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is FrameworkDocumentation other && other._key == _key;

    /// <inheritdoc/>
    public override int GetHashCode() => _key.GetHashCode(StringComparison.Ordinal);
}
