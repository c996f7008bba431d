using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Workbench.Notebooks.Languages.CSharp;

/// <summary>
/// Rewrites a C# cell so that an interrupt stops its code: every loop body, every <c>goto</c> and every method or
/// local function that calls itself starts with a check of the session's interrupt flag (a back-edge or a recursion
/// passes one), threads the cell starts end quietly when a check stops them, and the blocking
/// calls that have a cancellable form (<c>Thread.Sleep</c>, <c>Task.Delay</c>, the <c>Wait</c> of a task, a
/// <c>SemaphoreSlim</c> or a <c>ManualResetEventSlim</c>) go through <c>CellInterrupt</c>, which passes the cell's token.
/// </summary>
/// <remarks>
/// Nothing is inserted on a line of its own, so every line keeps its number: diagnostics and stack frames still name
/// the cell's lines. Columns on a rewritten line move, so the caller compiles the cell as written whenever the
/// rewritten one has errors. Calls are recognised by their symbol (the semantic model is asked only when a call has
/// one of the names above), so a user's own <c>Wait</c> or <c>Sleep</c> is left alone.
/// </remarks>
internal sealed class CancellationRewriter : CSharpSyntaxRewriter
{
    private const string Api = "global::Workbench.Notebooks.Execution.CellInterrupt";
    private static readonly HashSet<string> BlockingNames = new(StringComparer.Ordinal) { "Sleep", "Delay", "Wait" };

    private readonly Func<SemanticModel> _model;
    private SemanticModel? _semantics;
    private bool _changed;

    private CancellationRewriter(Func<SemanticModel> model) => _model = model;

    /// <summary>The rewritten text of <paramref name="tree"/>, or null when nothing needed a check.</summary>
    /// <param name="tree">The cell's syntax tree.</param>
    /// <param name="model">The tree's semantic model (built only when a call may block).</param>
    public static string? Rewrite(SyntaxTree tree, Func<SemanticModel> model)
    {
        var rewriter = new CancellationRewriter(model);
        var root = rewriter.Visit(tree.GetRoot());
        return rewriter._changed ? root.ToFullString() : null;
    }

    private SemanticModel Semantics => _semantics ??= _model();

    public override SyntaxNode? VisitWhileStatement(WhileStatementSyntax node)
    {
        var v = (WhileStatementSyntax)base.VisitWhileStatement(node)!;
        return v.WithStatement(WithCheck(v.Statement));
    }

    public override SyntaxNode? VisitDoStatement(DoStatementSyntax node)
    {
        var v = (DoStatementSyntax)base.VisitDoStatement(node)!;
        return v.WithStatement(WithCheck(v.Statement));
    }

    public override SyntaxNode? VisitForStatement(ForStatementSyntax node)
    {
        var v = (ForStatementSyntax)base.VisitForStatement(node)!;
        return v.WithStatement(WithCheck(v.Statement));
    }

    public override SyntaxNode? VisitForEachStatement(ForEachStatementSyntax node)
    {
        var v = (ForEachStatementSyntax)base.VisitForEachStatement(node)!;
        return v.WithStatement(WithCheck(v.Statement));
    }

    public override SyntaxNode? VisitForEachVariableStatement(ForEachVariableStatementSyntax node)
    {
        var v = (ForEachVariableStatementSyntax)base.VisitForEachVariableStatement(node)!;
        return v.WithStatement(WithCheck(v.Statement));
    }

    // A backward goto is a loop too; a check before every goto is simpler than telling the two apart and costs nothing.
    public override SyntaxNode? VisitGotoStatement(GotoStatementSyntax node)
    {
        var v = (GotoStatementSyntax)base.VisitGotoStatement(node)!;
        return WrapWithCheck(v);
    }

    public override SyntaxNode? VisitMethodDeclaration(MethodDeclarationSyntax node)
    {
        var v = (MethodDeclarationSyntax)base.VisitMethodDeclaration(node)!;
        if (!CallsItself(node, node.Identifier)) return v;
        if (v.Body is { } body) return v.WithBody(StartWithCheck(body));
        if (v.ExpressionBody is { } arrow && AsBlock(arrow, v.SemicolonToken, v.ReturnType, v.Modifiers) is { } block)
            return v.WithExpressionBody(null).WithSemicolonToken(default).WithBody(block);
        return v;
    }

    public override SyntaxNode? VisitLocalFunctionStatement(LocalFunctionStatementSyntax node)
    {
        var v = (LocalFunctionStatementSyntax)base.VisitLocalFunctionStatement(node)!;
        if (!CallsItself(node, node.Identifier)) return v;
        if (v.Body is { } body) return v.WithBody(StartWithCheck(body));
        if (v.ExpressionBody is { } arrow && AsBlock(arrow, v.SemicolonToken, v.ReturnType, v.Modifiers) is { } block)
            return v.WithExpressionBody(null).WithSemicolonToken(default).WithBody(block);
        return v;
    }

    // Only a recursion needs a check at the entry (other calls end, or loop and are checked there): a check costs a
    // small method a good share of its time.
    private static bool CallsItself(SyntaxNode member, SyntaxToken name) =>
        member.DescendantNodes().OfType<IdentifierNameSyntax>().Any(i => i.Identifier.ValueText == name.ValueText);

    public override SyntaxNode? VisitInvocationExpression(InvocationExpressionSyntax node)
    {
        var call = BlockingCall(node);
        var v = (InvocationExpressionSyntax)base.VisitInvocationExpression(node)!;
        if (call is null || v.Expression is not MemberAccessExpressionSyntax access) return v;
        _changed = true;
        var method = SyntaxFactory.ParseExpression($"{Api}.{call.Value.Method}").WithLeadingTrivia(access.GetLeadingTrivia());
        if (!call.Value.Instance) return v.WithExpression(method);
        // receiver.Wait(args) → CellInterrupt.Wait(receiver, args)
        var receiver = SyntaxFactory.Argument(access.Expression.WithoutLeadingTrivia());
        return v.WithExpression(method).WithArgumentList(v.ArgumentList.WithArguments(v.ArgumentList.Arguments.Insert(0, receiver)));
    }

    // new Thread(start) → new Thread(CellInterrupt.Guard(start)): a check that stops such a thread ends it quietly,
    // instead of ending the process with an exception nobody catches.
    public override SyntaxNode? VisitObjectCreationExpression(ObjectCreationExpressionSyntax node)
    {
        var isThread = node.Type.ToString().EndsWith("Thread", StringComparison.Ordinal) && node.ArgumentList is { Arguments.Count: > 0 }
            && Semantics.GetSymbolInfo(node).Symbol is IMethodSymbol { ContainingType: var type } && type.ToDisplayString() == "System.Threading.Thread";
        var v = (ObjectCreationExpressionSyntax)base.VisitObjectCreationExpression(node)!;
        if (!isThread) return v;
        _changed = true;
        var start = v.ArgumentList!.Arguments[0];
        var guarded = SyntaxFactory.InvocationExpression(SyntaxFactory.ParseExpression($"{Api}.Guard"),
            SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(start.Expression.WithoutTrivia()))));
        return v.WithArgumentList(v.ArgumentList.WithArguments(v.ArgumentList.Arguments.Replace(start, start.WithExpression(guarded.WithTriviaFrom(start.Expression)))));
    }

    // The CellInterrupt method that replaces a call, when the call is one of the blocking calls it has a form for.
    private (string Method, bool Instance)? BlockingCall(InvocationExpressionSyntax node)
    {
        if (node.Expression is not MemberAccessExpressionSyntax { RawKind: (int)SyntaxKind.SimpleMemberAccessExpression } access
            || !BlockingNames.Contains(access.Name.Identifier.ValueText)) return null;
        if (Semantics.GetSymbolInfo(node).Symbol is not IMethodSymbol method) return null;
        var type = method.ContainingType?.ToDisplayString();
        var parameters = method.Parameters;
        var oneTimeout = parameters.Length == 1 && parameters[0].Type.ToDisplayString() is "int" or "System.TimeSpan";
        return (method.Name, type, method.IsStatic) switch
        {
            ("Sleep", "System.Threading.Thread", true) when oneTimeout => ("Sleep", false),
            ("Delay", "System.Threading.Tasks.Task", true) when oneTimeout => ("Delay", false),
            ("Wait", "System.Threading.Tasks.Task" or "System.Threading.SemaphoreSlim" or "System.Threading.ManualResetEventSlim", false)
                when parameters.Length == 0 || oneTimeout => ("Wait", true),
            _ => null,
        };
    }

    private StatementSyntax WithCheck(StatementSyntax body) =>
        body is BlockSyntax block ? StartWithCheck(block) : WrapWithCheck(body);

    // { → {CellInterrupt.Check(); with what followed the brace (its line end) after the check.
    private BlockSyntax StartWithCheck(BlockSyntax block)
    {
        _changed = true;
        var open = block.OpenBraceToken;
        return block.WithOpenBraceToken(open.WithTrailingTrivia())
            .WithStatements(block.Statements.Insert(0, CheckStatement().WithTrailingTrivia(open.TrailingTrivia)));
    }

    // statement → {CellInterrupt.Check(); statement} with the statement's trivia outside the braces.
    private BlockSyntax WrapWithCheck(StatementSyntax statement)
    {
        _changed = true;
        return SyntaxFactory.Block(
            SyntaxFactory.Token(SyntaxKind.OpenBraceToken).WithLeadingTrivia(statement.GetLeadingTrivia()),
            SyntaxFactory.List(new[] { CheckStatement(), statement.WithoutLeadingTrivia().WithoutTrailingTrivia() }),
            SyntaxFactory.Token(SyntaxKind.CloseBraceToken).WithTrailingTrivia(statement.GetTrailingTrivia()));
    }

    // => expression; → {CellInterrupt.Check(); return expression;} on the same lines. Async members are left as they
    // are (whether they return a value depends on their task type; their awaits and loops are checked anyway).
    private BlockSyntax? AsBlock(ArrowExpressionClauseSyntax arrow, SyntaxToken semicolon, TypeSyntax returnType, SyntaxTokenList modifiers)
    {
        if (modifiers.Any(SyntaxKind.AsyncKeyword)) return null;
        var expression = arrow.Expression.WithoutLeadingTrivia().WithoutTrailingTrivia();
        var end = SyntaxFactory.Token(SyntaxKind.SemicolonToken);
        StatementSyntax statement = expression switch
        {
            ThrowExpressionSyntax t => SyntaxFactory.ThrowStatement(t.ThrowKeyword.WithoutTrivia().WithTrailingTrivia(SyntaxFactory.Space), t.Expression, end),
            _ when returnType is PredefinedTypeSyntax p && p.Keyword.IsKind(SyntaxKind.VoidKeyword) => SyntaxFactory.ExpressionStatement(expression, end),
            _ => SyntaxFactory.ReturnStatement(SyntaxFactory.Token(SyntaxKind.ReturnKeyword).WithTrailingTrivia(SyntaxFactory.Space), expression, end),
        };
        _changed = true;
        return SyntaxFactory.Block(
            SyntaxFactory.Token(SyntaxKind.OpenBraceToken).WithLeadingTrivia(arrow.ArrowToken.LeadingTrivia).WithTrailingTrivia(arrow.ArrowToken.TrailingTrivia),
            SyntaxFactory.List(new[]
            {
                CheckStatement().WithLeadingTrivia(arrow.Expression.GetLeadingTrivia()),
                statement.WithTrailingTrivia(arrow.Expression.GetTrailingTrivia().AddRange(semicolon.LeadingTrivia)),
            }),
            SyntaxFactory.Token(SyntaxKind.CloseBraceToken).WithTrailingTrivia(semicolon.TrailingTrivia));
    }

    /// <summary>The name of the class, declared by a session's first submission, whose static flag the checks read.</summary>
    public const string FlagClass = "__WorkbenchInterrupt";

    // A static field read and a throw, inline: any call in a loop, even one never taken, costs a floating-point loop its
    // registers in on-stack-replaced code (scripts/bench/interrupt_checks.cs). One class per session keeps sessions apart.
    private static StatementSyntax CheckStatement() =>
        SyntaxFactory.ParseStatement($"if ({FlagClass}.Stop) throw new global::System.OperationCanceledException(\"The cell was interrupted.\");");
}
