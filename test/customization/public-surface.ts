import ts from 'typescript';

/**
 * The public surface of an entry file as the compiler sees it: each exported name with its kind
 * (`class`, `const`, `type`, `interface`…), and for each exported class its public methods (own and
 * inherited from our own classes; lifecycle hooks left out), sorted.
 */
export function publicSurface(entry: string, tsconfig: string): { exports: string[]; methods: Record<string, string[]> } {
  const config = ts.getParsedCommandLineOfConfigFile(tsconfig, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  if (!config) throw new Error(`cannot read ${tsconfig}`);
  const program = ts.createProgram([entry], { ...config.options, noEmit: true, incremental: false });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entry);
  if (!source) throw new Error(`cannot read ${entry}`);
  const moduleSymbol = checker.getSymbolAtLocation(source)!;
  const exports: string[] = [];
  const methods: Record<string, string[]> = {};
  for (const symbol of checker.getExportsOfModule(moduleSymbol)) {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    const declaration = target.declarations?.[0];
    const kind = !declaration
      ? 'unknown'
      : ts.isClassDeclaration(declaration)
        ? 'class'
        : ts.isInterfaceDeclaration(declaration)
          ? 'interface'
          : ts.isTypeAliasDeclaration(declaration)
            ? 'type'
            : ts.isFunctionDeclaration(declaration)
              ? 'function'
              : ts.isVariableDeclaration(declaration)
                ? 'const'
                : ts.SyntaxKind[declaration.kind];
    const typeOnly = symbol.declarations?.some((d) => ts.isExportSpecifier(d) && (d.isTypeOnly || d.parent.parent.isTypeOnly));
    exports.push(`${symbol.name}: ${typeOnly && kind === 'class' ? 'class (type only)' : kind}`);
    if (kind === 'class' && !typeOnly && declaration) {
      const instance = checker.getDeclaredTypeOfSymbol(target);
      const names = checker
        .getPropertiesOfType(instance)
        .filter((p) => p.flags & ts.SymbolFlags.Method)
        // Methods a framework base class brings (HttpException's getStatus…) are the framework's API.
        .filter((p) => !p.valueDeclaration?.getSourceFile().fileName.includes('/node_modules/'))
        .filter((p) => !(ts.getCombinedModifierFlags(p.valueDeclaration as ts.Declaration) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)))
        .map((p) => p.name)
        .filter((n) => !/^(on|before)(Module|Application)/.test(n) && !n.startsWith('#'));
      if (names.length > 0) methods[symbol.name] = names.sort();
    }
  }
  return { exports: exports.sort(), methods };
}
