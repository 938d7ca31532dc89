import { readFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { sourceFiles } from '../test/utils/source-files';

const SRC = __dirname;

/** The top-level folder of src a file belongs to (`profiles`, `common`, …); '' for src itself. */
function folderOf(file: string): string {
  const parts = relative(SRC, file).split(sep);
  return parts.length > 1 ? parts[0] : '';
}

/** Which top-level folders import which, from the relative imports of every source file. */
export function folderGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  const importPattern = /(?:from|import)\s+'(\.{1,2}\/[^']+)'/g;
  for (const file of sourceFiles(SRC)) {
    const from = folderOf(file);
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(importPattern)) {
      const to = folderOf(resolve(dirname(file), specifier));
      if (from && to && from !== to) {
        graph.set(from, (graph.get(from) ?? new Set()).add(to));
      }
    }
  }
  return graph;
}

/** Strongly connected groups of more than one folder (Tarjan): each is a cycle. */
function cycles(graph: Map<string, Set<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (node: string) => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (stack.includes(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const group: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        group.push(member);
      } while (member !== node);
      if (group.length > 1) {
        found.push(group.sort());
      }
    }
  };
  for (const node of graph.keys()) {
    if (!index.has(node)) {
      visit(node);
    }
  }
  return found;
}

describe('folder dependencies', () => {
  it('should have no cycle between the top-level folders of src', () => {
    const graph = folderGraph();
    const described = cycles(graph).map((group) =>
      group
        .flatMap((from) =>
          [...(graph.get(from) ?? [])]
            .filter((to) => group.includes(to))
            .map((to) => `${from} → ${to}`),
        )
        .join(', '),
    );
    expect(described).toEqual([]);
  });
});
