/**
 * Every JavaScript/TypeScript code block in the README runs as written.
 *
 * - ```js / ```ts blocks are ES modules (top-level await allowed): each is written to a .mjs file in a
 *   temporary folder laid out as a user's project (its node_modules links to the workspace's, where
 *   `recurrent` is the built package) and run there with node, so `import ... from 'recurrent'` resolves
 *   as it would for a user, and nothing is written into the repository. TypeScript blocks are
 *   transpiled with `typescript` first.
 * - ```html blocks: their inline <script> runs in a VM context where the browser bundle
 *   (dist/recurrent.min.js, loaded by <script src> in the block) has defined the global `recurrent`.
 * A block may print; a thrown error or non-zero exit fails the test with the block's text.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vm from 'vm';
import * as ts from 'typescript';

const root = path.resolve(__dirname, '../../..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
const bundlePath = path.join(root, 'packages/recurrent/dist/recurrent.min.js');

interface Block {
  lang: string;
  code: string;
  line: number;
}

function extractBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const re = /^```(\w+)[^\n]*\n([\s\S]*?)^```/gm;
  let m: RegExpExecArray | null;
  while ((m = re.exec(markdown)) !== null) {
    blocks.push({ lang: m[1], code: m[2], line: markdown.slice(0, m.index).split('\n').length });
  }
  return blocks;
}

const blocks = extractBlocks(readme);
const runnable = blocks.filter((b) => ['js', 'javascript', 'ts', 'typescript'].includes(b.lang));
const html = blocks.filter((b) => b.lang === 'html');

describe('README code blocks', () => {
  it('has runnable blocks to check', () => {
    expect(runnable.length).toBeGreaterThanOrEqual(4);
    expect(html.length).toBeGreaterThanOrEqual(1);
  });

  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-blocks-'));
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(workDir, 'node_modules'), 'dir');
  afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

  runnable.forEach((block) => {
    it(`runs the ${block.lang} block at README line ${block.line}`, () => {
      const source = block.lang.startsWith('t')
        ? ts.transpileModule(block.code, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2021 } }).outputText
        : block.code;
      const file = path.join(workDir, `readme-block-${block.line}.mjs`);
      fs.writeFileSync(file, source);
      let stdout: string;
      try {
        stdout = execFileSync(process.execPath, [file], { cwd: workDir, stdio: 'pipe', timeout: 120_000 }).toString();
      } catch (e) {
        const err = e as { stderr?: Buffer; stdout?: Buffer };
        throw new Error(`README block at line ${block.line} failed:\n${block.code}\n--- stderr ---\n${err.stderr?.toString()}`);
      } finally {
        fs.rmSync(file, { force: true });
      }
      // A `console.log(...); // expected` line in the README promises its output: check it.
      const promised = block.code
        .split('\n')
        .filter((l) => /^\s*console\.log\(/.test(l) && /\/\/\s*\S/.test(l))
        .map((l) => l.slice(l.lastIndexOf('//') + 2));
      const printed = stdout.split('\n').filter((l) => l.trim() !== '');
      const logged = printed.slice(printed.length - promised.length);
      const norm = (t: string) => t.replace(/[\s'"\[\]]/g, '').replace(/,+$/, '');
      promised.forEach((expected, i) => {
        const got = norm(logged[i] ?? '');
        expect(got.startsWith(norm(expected).replace(/\.\.\.$/, ''))).toBe(true);
      });
    }, 150_000);
  });

  html.forEach((block) => {
    it(`runs the inline script of the html block at README line ${block.line} with the browser bundle`, async () => {
      expect(block.code).toMatch(/<script src="[^"]*recurrent\.min\.js"><\/script>/);
      const inline = [...block.code.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n');
      expect(inline.trim().length).toBeGreaterThan(0);
      const logs: string[] = [];
      const context = vm.createContext({
        console: { log: (...a: unknown[]) => logs.push(a.join(' ')) },
        setTimeout,
        Promise,
      });
      vm.runInContext(fs.readFileSync(bundlePath, 'utf8'), context);
      vm.runInContext(inline, context);
      // A page script starts async work (training) and logs when done: wait for its output.
      const deadline = Date.now() + 100_000;
      while (logs.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(logs.length).toBeGreaterThan(0);
    }, 120_000);
  });
});
