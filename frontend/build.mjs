// Build Accord's static files from nhsuk-frontend: the compiled CSS, the JS module and the
// images. Only what is served is copied (not the whole package).
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "core", "static", "nhsuk");
const dist = join(here, "node_modules", "nhsuk-frontend", "dist", "nhsuk");

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const result = sass.compile(join(here, "accord.scss"), {
  loadPaths: [join(here, "node_modules")],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(join(out, "accord.css"), result.css);
cpSync(join(dist, "nhsuk-frontend.min.js"), join(out, "nhsuk-frontend.min.js"));
cpSync(join(dist, "assets"), join(out, "assets"), { recursive: true });
console.log(`Built NHS.UK frontend into ${out}`);
