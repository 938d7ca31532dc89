/** Unit and slice tests beside the code. Nest 12 ships ES modules, which jest runs through swc. */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
  },
];

const fs = require('node:fs');
const path = require('node:path');

/** Packages published as ES modules only (`"type": "module"`), found rather than listed by hand. */
function findEsmPackages(root = path.join(__dirname, 'node_modules')) {
  const names = [];
  for (const entry of fs.readdirSync(root)) {
    const scoped = entry.startsWith('@');
    const children = scoped ? fs.readdirSync(path.join(root, entry)).map((c) => `${entry}/${c}`) : [entry];
    for (const name of children) {
      try {
        const pkg = JSON.parse(fs.readFileSync(path.join(root, name, 'package.json'), 'utf8'));
        // PGlite ships a CommonJS build of its own and loads its WebAssembly relative to it.
        if (pkg.type === 'module' && !name.startsWith('@electric-sql/')) {
          names.push(name);
        }
      } catch {
        // not a package folder
      }
    }
  }
  return names;
}

const esmPackages = findEsmPackages();

module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/scripts/**/*.spec.ts'],
  transform: { '^.+\\.(t|j|mj|cj)s$': swc },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.map((n) => n.replace('/', '\\/')).join('|')})/)`],
};
