// Checks src/ against the layering rules in .dependency-cruiser.cjs, the same way `npx depcruise src
// --config .dependency-cruiser.cjs` does (raw config as the rule set, tsconfig read by dependency-cruiser's
// own helper), so the test and the CLI agree.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { cruise, type IConfiguration, type ICruiseResult, type IViolation } from "dependency-cruiser";
import extractDepcruiseConfig from "dependency-cruiser/config-utl/extract-depcruise-config";
import extractTSConfig from "dependency-cruiser/config-utl/extract-ts-config";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const CONFIG_FILE = join(ROOT, ".dependency-cruiser.cjs");

/** Cruises `src` under `baseDir` with the project's rules and `baseDir`'s own tsconfig.json. */
async function cruiseSrc(baseDir: string): Promise<ICruiseResult> {
  const config: IConfiguration = await extractDepcruiseConfig(CONFIG_FILE);
  const tsConfigFile = join(baseDir, "tsconfig.json");
  // Absolute paths, so neither the tsconfig nor the sources depend on the directory vitest runs from.
  const ruleSet: IConfiguration = {
    ...config,
    options: { ...config.options, tsConfig: { fileName: tsConfigFile } },
  };
  const { output } = await cruise(
    ["src"],
    { ruleSet, validate: true, baseDir },
    {},
    { tsConfig: extractTSConfig(tsConfigFile) },
  );
  if (typeof output === "string") throw new Error(`expected a cruise result object, got: ${output}`);
  return output;
}

/** `rule: from → to`, plus the whole loop for a cycle (dependency-cruiser reports each cycle once). */
function describeViolation(violation: IViolation): string {
  const cycle = violation.cycle?.map((step) => step.name) ?? [];
  const loop = cycle.length > 0 ? ` (cycle: ${[violation.from, ...cycle].join(" → ")})` : "";
  return `${violation.rule.name}: ${violation.from} → ${violation.to}${loop}`;
}

function violationsOf(result: ICruiseResult): string[] {
  return result.summary.violations.map(describeViolation).sort();
}

describe("architecture (.dependency-cruiser.cjs)", () => {
  let result: ICruiseResult;

  beforeAll(async () => {
    result = await cruiseSrc(ROOT);
  });

  it("src/ keeps its layers", () => {
    const violations = violationsOf(result);
    expect(violations, `layering violations:\n  ${violations.join("\n  ")}\n`).toEqual([]);
  });

  it("every import is resolved", () => {
    const srcModules = result.modules.filter((module) => module.source.startsWith("src/"));
    const unresolved = srcModules.flatMap((module) =>
      module.dependencies
        .filter((dependency) => dependency.couldNotResolve && dependency.module.startsWith("."))
        .map((dependency) => `${module.source} → ${dependency.module}`),
    );
    expect(unresolved, `unresolved relative imports:\n  ${unresolved.join("\n  ")}\n`).toEqual([]);

    // Not vacuous: ".js" specifiers really land on the .ts files, and type-only imports are in the graph.
    const dependencies = srcModules.flatMap((module) => module.dependencies);
    const resolvedToTs = dependencies.filter((dependency) => /^src\/.+\.ts$/.test(dependency.resolved));
    expect(resolvedToTs.length).toBeGreaterThan(20);
    expect(dependencies.some((dependency) => dependency.dependencyTypes.includes("type-only"))).toBe(true);
  });

  describe("the rules catch a violation", () => {
    let fixture: string;

    beforeAll(() => {
      fixture = mkdtempSync(join(tmpdir(), "depcruise-fixture-"));
      const files: Record<string, string> = {
        "tsconfig.json": JSON.stringify({
          compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext", strict: true },
          include: ["src"],
        }),
        // one feature importing another
        "src/bot/features/a.ts": 'import { b } from "./b.js";\nexport const a = b;\n',
        "src/bot/features/b.ts": "export const b = 1;\n",
        // files inside one feature folder may import each other
        "src/bot/features/menu/x.ts": 'import { y } from "./y.js";\nexport const x = y;\n',
        "src/bot/features/menu/y.ts": "export const y = 2;\n",
        // a cycle closed by a type-only import
        "src/util/c1.ts": 'import { c2 } from "./c2.js";\nexport type C1 = number;\nexport const c1 = c2;\n',
        "src/util/c2.ts": 'import type { C1 } from "./c1.js";\nexport const c2: C1 = 3;\n',
        // the hub importing grammY (unresolvable here: there is no node_modules; the rule still bites)
        "src/hub/x.ts": 'import { Bot } from "grammy";\nexport const bot = Bot;\n',
      };
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(fixture, path)), { recursive: true });
        writeFileSync(join(fixture, path), text);
      }
    });

    afterAll(() => {
      rmSync(fixture, { recursive: true, force: true });
    });

    it("reports features-import-no-features, no-circular (type-only too) and hub-knows-no-telegram", async () => {
      const fixtureResult = await cruiseSrc(fixture);
      expect(violationsOf(fixtureResult)).toEqual([
        "features-import-no-features: src/bot/features/a.ts → src/bot/features/b.ts",
        "hub-knows-no-telegram: src/hub/x.ts → grammy",
        "no-circular: src/util/c1.ts → src/util/c2.ts (cycle: src/util/c1.ts → src/util/c2.ts → src/util/c1.ts)",
      ]);
    });
  });
});
