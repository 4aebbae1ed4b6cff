#!/usr/bin/env python3
"""suites/check_layers.py SOURCE_DIR BUILD_DIR: fails when blsvk's layers stop calling only down.

Three checks, each against the module table below (docs/ARCHITECTURE.md draws it):
  1. includes: a file includes headers of its own module or public headers of modules below it;
  2. link graph: every target_link_libraries / bv_add_module edge between blsvk targets goes down;
  3. calls within a module: no loop among its files (from each object file's defined and
     undefined symbols, read with nm), so that a module can be read bottom-up.
"""
import os
import re
import subprocess
import sys

# module: (folder, target, public headers, modules it may use)
MODULES = {
    "common": ("common", "bv_common", {"bv_common.h", "bv_json.h", "bv_sha256.h", "bv_record.h", "bv_version.h"}, set()),
    "reference": ("reference", "bv_ref", {"bv_ref.h"}, {"common"}),
    "vectors": ("vectors", "bv_vec", {"bv_vec.h"}, {"common", "reference"}),
    "kernels": ("kernels", "bv_kernels", {"bv_kernels.h"}, {"common", "reference"}),
    "reports": ("reports", "bv_report", {"bv_report.h"}, {"common", "reference"}),
    "vk": ("harness/vk", "bv_vk", {"bv_vk.h"}, {"common", "reference", "kernels"}),
    "runner": ("harness/runner", "bv_run", {"bv_run.h"},
               {"common", "reference", "vectors", "kernels", "reports", "vk"}),
    "cli": ("harness/cli", "blsvk", set(),
            {"common", "reference", "vectors", "kernels", "reports", "vk", "runner"}),
}
# What each module may use, closed transitively (a module above may use everything below).
def closure(m, seen=None):
    seen = set() if seen is None else seen
    for d in MODULES[m][3]:
        if d not in seen:
            seen.add(d)
            closure(d, seen)
    return seen
ALLOWED = {m: closure(m) for m in MODULES}
HEADER_OWNER = {h: m for m, (_, _, hs, _) in MODULES.items() for h in hs}
TARGET_OWNER = {t: m for m, (_, t, _, _) in MODULES.items()}
SRC_EXT = (".c", ".h", ".cpp")

problems = []

def check_includes(src):
    for m, (folder, _, _, _) in MODULES.items():
        d = os.path.join(src, folder)
        for name in sorted(os.listdir(d)):
            if not name.endswith(SRC_EXT):
                continue
            own = set(os.listdir(d))
            with open(os.path.join(d, name), encoding="utf-8", errors="replace") as f:
                for lineno, line in enumerate(f, 1):
                    inc = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
                    if not inc:
                        continue
                    h = os.path.basename(inc.group(1))
                    if h in own:
                        continue
                    owner = HEADER_OWNER.get(h)
                    where = f"{folder}/{name}:{lineno}"
                    if owner is None:
                        problems.append(f"{where}: includes {h}, which is no module's public header")
                    elif owner != m and owner not in ALLOWED[m]:
                        problems.append(f"{where}: {m} includes {h} of {owner}, a module above or beside it")

def cmake_edges(src):
    """(target, dependency) pairs from bv_add_module and target_link_libraries calls."""
    edges = []
    for m, (folder, _, _, _) in MODULES.items():
        path = os.path.join(src, folder, "CMakeLists.txt")
        if not os.path.exists(path):
            continue
        text = open(path, encoding="utf-8").read()
        text = re.sub(r"#[^\n]*", "", text)
        for call in re.finditer(r"\b(bv_add_module|target_link_libraries)\s*\(([^)]*)\)", text):
            words = call.group(2).split()
            target, deps = words[0], words[1:]
            for d in deps:
                if d in TARGET_OWNER:
                    edges.append((target, d, path))
    return edges

def check_links(src):
    for target, dep, path in cmake_edges(src):
        t, d = TARGET_OWNER.get(target), TARGET_OWNER[dep]
        if t is None or t == d:
            continue
        if d not in ALLOWED[t]:
            problems.append(f"{os.path.relpath(path, src)}: {target} links {dep}: {t} may not use {d}")

def symbols(obj):
    out = subprocess.run(["nm", "--defined-only", "-g", obj], capture_output=True, text=True, check=True).stdout
    defined = {l.split()[-1] for l in out.splitlines() if len(l.split()) >= 3}
    out = subprocess.run(["nm", "-u", obj], capture_output=True, text=True, check=True).stdout
    undefined = {l.split()[-1] for l in out.splitlines() if l.split()}
    return defined, undefined

def sccs(nodes, edges):
    """Tarjan's strongly connected components."""
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]
    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            out.append(comp)
    for v in nodes:
        if v not in index:
            visit(v)
    return out

def check_calls(src, build):
    checked = 0
    for m, (folder, target, _, _) in MODULES.items():
        objdir = os.path.join(build, folder, "CMakeFiles", target + ".dir")
        if not os.path.isdir(objdir):
            problems.append(f"{objdir}: no object files (build the project first)")
            continue
        # Objects of sources that no longer exist linger in a build folder: skip them.
        objs = sorted(f for f in os.listdir(objdir) if f.endswith(".o") and
                      (os.path.exists(os.path.join(src, folder, f[:-2])) or
                       os.path.exists(os.path.join(build, folder, f[:-2]))))
        files = {o[:-2]: symbols(os.path.join(objdir, o)) for o in objs}
        owner = {}
        for f, (defined, _) in files.items():
            for s in defined:
                owner[s] = f
        edges = {f: {owner[s] for s in und if s in owner and owner[s] != f} for f, (_, und) in files.items()}
        for comp in sccs(sorted(files), edges):
            if len(comp) > 1:
                calls = [f"{a} -> {b}" for a in sorted(comp) for b in sorted(edges[a]) if b in comp]
                problems.append(f"{folder}: files call each other in a loop: {', '.join(calls)}")
        checked += len(objs)
    return checked

def self_check():
    """The loop finder must see a loop of three files and none in a chain, or its silence means nothing."""
    loop = [c for c in sccs(["a", "b", "c", "d"], {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) if len(c) > 1]
    chain = [c for c in sccs(["a", "b", "c"], {"a": {"b"}, "b": {"c"}}) if len(c) > 1]
    if [sorted(c) for c in loop] != [["a", "b", "c"]] or chain:
        problems.append("check_layers.py: its own loop finder is broken")

def main():
    self_check()
    if len(sys.argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    src, build = sys.argv[1], sys.argv[2]
    check_includes(src)
    check_links(src)
    n = check_calls(src, build)
    for p in problems:
        print("back-edge:", p)
    print(f"check_layers: {len(MODULES)} modules, {n} object files, {len(problems)} problem(s)")
    return 1 if problems else 0

if __name__ == "__main__":
    sys.exit(main())
