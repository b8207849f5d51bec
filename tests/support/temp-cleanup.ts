// Runs before every test file (vitest setupFiles): the temporary folders a file's tests made
// are removed after that file, also when modules are shared between files (mutation runs).
import { afterAll } from "vitest";

import { removeTempDirs } from "@/tests/support/db";

afterAll(removeTempDirs);
