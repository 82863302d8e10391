import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = realpathSync(fileURLToPath(new URL('..', import.meta.url)));

/** The documents a reader of the repository is sent through: the README, docs/ and the benchmark's page. */
function documents(): string[] {
  const docs = (dir: string): string[] =>
    readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory()
        ? docs(path.join(dir, entry.name))
        : entry.name.endsWith('.md')
          ? [path.join(dir, entry.name)]
          : [],
    );
  return ['README.md', ...docs('docs'), path.join('bench', 'README.md')];
}

/**
 * The lines of markdown outside fenced code blocks (blank inside them), with inline code spans
 * blanked unless `keepCode`: links in code are not links, and `#` lines in code are not headings.
 */
function prose(markdown: string, keepCode = false): string[] {
  const lines: string[] = [];
  let fence: string | null = null;
  for (const line of markdown.split('\n')) {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence) {
      if (marker && marker[0] === fence[0] && marker.length >= fence.length) fence = null;
      lines.push('');
    } else if (marker) {
      fence = marker;
      lines.push('');
    } else {
      lines.push(keepCode ? line : line.replace(/(`+)(?:(?!\1).)+?\1/g, (code) => ' '.repeat(code.length)));
    }
  }
  return lines;
}

/** Targets of inline links and images, `[text](target "title")`, and of reference definitions, `[id]: target`. */
function linkTargets(markdown: string): string[] {
  const targets: string[] = [];
  for (const line of prose(markdown)) {
    for (const match of line.matchAll(/!?\[[^\]]*\]\(\s*(<[^>]*>|[^\s)]+)(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g)) {
      targets.push(match[1].replace(/^<|>$/g, ''));
    }
    const definition = /^\s{0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)/.exec(line);
    if (definition) targets.push(definition[1].replace(/^<|>$/g, ''));
  }
  return targets;
}

/** GitHub's heading ids (github-slugger): lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function headingSlugs(markdown: string): Set<string> {
  const slugs = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of prose(markdown, true)) {
    const heading = /^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const text = heading
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/<[^>]+>/g, '')
      .replace(/`/g, '');
    const base = text
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    slugs.add(count ? `${base}-${count}` : base);
  }
  return slugs;
}

const isExternal = (target: string) => /^[a-z][a-z0-9+.-]*:/i.test(target);

interface Problem {
  document: string;
  target: string;
  problem: string;
}

/** Every relative link of `document` (a path relative to the repository) that does not hold. */
function checkLinks(document: string, markdown: string, repositoryRoot = root): Problem[] {
  const problems: Problem[] = [];
  for (const target of linkTargets(markdown)) {
    if (isExternal(target)) continue; // http:, https:, mailto:
    const [rawPath, fragment] = target.split('#', 2) as [string, string | undefined];
    const decoded = decodeURIComponent(rawPath);
    const resolved = rawPath
      ? decoded.startsWith('/')
        ? path.join(repositoryRoot, decoded) // GitHub reads a leading slash as the repository root
        : path.resolve(repositoryRoot, path.dirname(document), decoded)
      : path.join(repositoryRoot, document);
    const inside = (file: string) => {
      const relative = path.relative(repositoryRoot, file);
      return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
    };
    if (!inside(resolved)) {
      problems.push({ document, target, problem: 'points outside the repository' });
      continue;
    }
    if (!existsSync(resolved)) {
      problems.push({ document, target, problem: 'does not exist' });
      continue;
    }
    if (!inside(realpathSync(resolved))) {
      problems.push({ document, target, problem: 'is a link to a place outside the repository' });
      continue;
    }
    if (fragment && resolved.endsWith('.md') && statSync(resolved).isFile()) {
      const slugs = headingSlugs(rawPath ? readFileSync(resolved, 'utf8') : markdown);
      if (!slugs.has(decodeURIComponent(fragment).toLowerCase())) {
        problems.push({ document, target, problem: 'names no heading of that file' });
      }
    }
  }
  return problems;
}

describe('documentation links', () => {
  const files = documents();

  it('reads the README, every page of docs/ and bench/README.md', () => {
    expect(files).toContain('README.md');
    expect(files).toContain(path.join('docs', 'README.md'));
    expect(files).toContain(path.join('bench', 'README.md'));
  });

  it('every relative link and image points at a file or folder inside the repository, and its #anchor at a heading', () => {
    const problems = files.flatMap((file) => checkLinks(file, readFileSync(path.join(root, file), 'utf8')));
    expect(problems).toEqual([]);
  });

  it('the README links into docs/ and to the benchmark', () => {
    const targets = linkTargets(readFileSync(path.join(root, 'README.md'), 'utf8'));
    expect(targets).toContain('docs/README.md');
    expect(targets).toContain('bench/README.md');
  });

  it('no document sends readers to ../shared, which a clone of the repository does not have', () => {
    const mentions = files.filter((file) => readFileSync(path.join(root, file), 'utf8').includes('../shared'));
    expect(mentions).toEqual([]);
  });
});

describe('the link checker itself', () => {
  const page = [
    '# Title',
    '## Access tokens: `POST /oauth/token`',
    '## Title',
    'See [the contract](../shared/API-CONTRACT.md), [gone](docs/nowhere.md), [ok](package.json),',
    '![img](bench/README.md#no-such-heading), [self](#access-tokens-post-oauthtoken), [dup](#title-1),',
    '[bad self](#missing), [web](https://example.com/x), [mail](mailto:a@example.com), `[code](nowhere.md)`',
    '```md',
    '[fenced](nowhere-either.md)',
    '```',
    '[ref]: ../../etc/passwd',
  ].join('\n');

  it('extracts inline links, images and reference definitions, not code', () => {
    expect(linkTargets(page)).toEqual([
      '../shared/API-CONTRACT.md',
      'docs/nowhere.md',
      'package.json',
      'bench/README.md#no-such-heading',
      '#access-tokens-post-oauthtoken',
      '#title-1',
      '#missing',
      'https://example.com/x',
      'mailto:a@example.com',
      '../../etc/passwd',
    ]);
  });

  it('makes heading ids as GitHub does', () => {
    expect([...headingSlugs(page)]).toEqual(['title', 'access-tokens-post-oauthtoken', 'title-1']);
  });

  it('reports links outside the repository, missing files and unknown anchors', () => {
    expect(checkLinks('README.md', page).map(({ target, problem }) => `${target}: ${problem}`)).toEqual([
      '../shared/API-CONTRACT.md: points outside the repository',
      'docs/nowhere.md: does not exist',
      'bench/README.md#no-such-heading: names no heading of that file',
      '#missing: names no heading of that file',
      '../../etc/passwd: points outside the repository',
    ]);
  });
});
