namespace Workbench.Notebooks.Languages;

/// <summary>A variable as <c>#!whos</c> lists it: its name, type and a short text of its value.</summary>
public sealed record VariableInfo(string Name, string TypeName, string Value);
