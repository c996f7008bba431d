using System.Text;
using System.Xml.Linq;
using FSharp.Compiler.CodeAnalysis;
using FSharp.Compiler.EditorServices;
using FSharp.Compiler.Symbols;
using FSharp.Compiler.Text;
using FSharp.Compiler.Tokenization;
using Microsoft.FSharp.Collections;
using Microsoft.FSharp.Core;
using Workbench.Notebooks.Completion;
using static FSharp.Compiler.Interactive.Shell;

namespace Workbench.Notebooks.Languages.FSharp;

/// <summary>
/// Completion and inspection for F# cell parts: F# Interactive type-checks the code against the session's state
/// (ParseAndCheckInteraction), so names bound by earlier cells complete, and members complete after a dot.
/// </summary>
internal sealed class FSharpCompletion
{
    // A completion request waits this long for a running cell before answering with nothing.
    private static readonly TimeSpan BusyWait = TimeSpan.FromSeconds(2);

    private readonly FSharpKernel _kernel;
    private readonly Dictionary<string, XDocument?> _xmlDocs = new(StringComparer.Ordinal);

    public FSharpCompletion(FSharpKernel kernel) => _kernel = kernel;

    public async Task<CompletionResult> CompleteAsync(string code, int cursor, CancellationToken cancellationToken)
    {
        cursor = Math.Clamp(cursor, 0, code.Length);
        var none = new CompletionResult(Array.Empty<string>(), cursor, cursor);
        var (fsi, lease) = await _kernel.LeaseAsync(BusyWait, cancellationToken).ConfigureAwait(false);
        if (fsi is null) return none;
        using (lease)
        {
            return await Task.Run(() =>
            {
                var (line, column, lineText) = Position(code, cursor);
                var (parse, check, _) = fsi.ParseAndCheckInteraction(code, null).ToValueTuple();
                var name = QuickParse.GetPartialLongNameEx(lineText, column - 1);
                var info = check.GetDeclarationListInfo(FSharpOption<FSharpParseFileResults>.Some(parse), line, lineText, name, null, null, null);
                var typed = name.PartialIdent;
                var matches = info.Items
                    .Where(i => i.NameInList.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
                    .Select(i => i.NameInCode)
                    .Distinct(StringComparer.Ordinal)
                    .OrderBy(s => s, StringComparer.OrdinalIgnoreCase)
                    .ToList();
                return new CompletionResult(matches, cursor - typed.Length, cursor);
            }, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<string?> InspectAsync(string code, int cursor, CancellationToken cancellationToken)
    {
        cursor = Math.Clamp(cursor, 0, code.Length);
        var (fsi, lease) = await _kernel.LeaseAsync(BusyWait, cancellationToken).ConfigureAwait(false);
        if (fsi is null) return null;
        using (lease)
        {
            return await Task.Run(() =>
            {
                var (line, column, lineText) = Position(code, cursor);
                var island = QuickParse.GetCompleteIdentifierIsland(true, lineText, column);
                if (island is null && column > 0) island = QuickParse.GetCompleteIdentifierIsland(true, lineText, column - 1);
                if (island is null) return null;
                var (ident, end, _) = island.Value.ToValueTuple();
                var (_, check, _) = fsi.ParseAndCheckInteraction(code, null).ToValueTuple();
                var names = ListModule.OfSeq(ident.Split('.'));
                var tip = check.GetToolTip(line, end, lineText, names, FSharpTokenTag.Identifier, null);
                return Text(tip);
            }, cancellationToken).ConfigureAwait(false);
        }
    }

    // 1-based line, 0-based column, and the line's text.
    private static (int Line, int Column, string Text) Position(string code, int cursor)
    {
        var before = code[..cursor];
        var line = before.Count(c => c == '\n') + 1;
        var start = before.LastIndexOf('\n') + 1;
        var end = code.IndexOf('\n', cursor);
        var text = code[start..(end < 0 ? code.Length : end)].TrimEnd('\r');
        return (line, cursor - start, text);
    }

    private string? Text(ToolTipText tip)
    {
        var sb = new StringBuilder();
        foreach (var element in tip.Item)
        {
            if (element is not ToolTipElement.Group group) continue;
            foreach (var data in group.elements)
            {
                if (sb.Length > 0) sb.Append('\n');
                sb.Append(data.MainDescription.Text);
                if (Summary(data.XmlDoc) is { } summary) sb.Append('\n').Append(summary);
            }
        }
        return sb.Length == 0 ? null : sb.ToString();
    }

    private string? Summary(FSharpXmlDoc doc)
    {
        string? xml = doc switch
        {
            FSharpXmlDoc.FromXmlText text => "<doc>" + string.Join("\n", text.Item.UnprocessedLines) + "</doc>",
            FSharpXmlDoc.FromXmlFile file => FromFile(file.dllName, file.xmlSig),
            _ => null,
        };
        if (xml is null) return null;
        try
        {
            var root = XElement.Parse(xml);
            var summary = root.Name == "summary" ? root : root.Element("summary") ?? (root.Elements().Any() ? null : root);
            var text = summary?.Value.Trim();
            return string.IsNullOrWhiteSpace(text) ? null : string.Join(" ", text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        }
        catch (System.Xml.XmlException)
        {
            return null;
        }
    }

    private string? FromFile(string dll, string signature)
    {
        var path = Path.ChangeExtension(dll, ".xml");
        XDocument? document;
        lock (_xmlDocs)
        {
            if (!_xmlDocs.TryGetValue(path, out document))
            {
                try { document = File.Exists(path) ? XDocument.Load(path) : null; }
                catch (Exception e) when (e is IOException or System.Xml.XmlException or UnauthorizedAccessException) { document = null; }
                _xmlDocs[path] = document;
            }
        }
        var member = document?.Root?.Element("members")?.Elements("member").FirstOrDefault(m => (string?)m.Attribute("name") == signature);
        return member?.ToString();
    }
}
