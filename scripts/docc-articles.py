#!/usr/bin/env python3
"""Generates each module's guide article for its DocC catalog from the guide in docs/.

The guides in docs/ are the one source of truth; `make docs` runs this script before DocC, and the
generated files (Sources/<Module>/<Module>.docc/Generated/, git-ignored) are never edited by hand.
The script rewrites what DocC cannot take from GitHub-flavoured Markdown:

- `<!-- ... -->` lines (the markers of the examples checked by Tests/DocExampleTests) are dropped;
- links to other files of the repository (`[benchmarks.md](benchmarks.md#rbm)`, `../README.md`)
  become plain text naming the file (`docs/benchmarks.md`), and links to a heading of the same guide
  (`[Results](#results)`) become their text;
- images (`![alt](img/x.png)`) are copied into the catalog and referenced by file name;
- a code span that is exactly the name of a public type declared in the module (`RBMTrainer`)
  becomes a symbol link (``RBMTrainer``), so the article links into the API reference and a renamed
  type shows up as a broken link in `make docs`;
- the note that the article is generated goes at its end in a `@Comment`, which DocC does not render.

Usage: scripts/docc-articles.py [repository root]   (default: the parent of scripts/)
"""
import os
import re
import shutil
import sys

ROOT = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), ".."))

# (guide in docs/, module, article file name, section of the guide or None for all of it, title or None)
ARTICLES = [
    ("core.md", "EnergyCore", "CoreGuide", None, None),
    ("core.md", "EnergyFormats", "FileFormatsGuide", "File formats", "File formats: what EnergyFormats reads and writes"),
    ("hopfield.md", "HopfieldMemory", "HopfieldGuide", None, None),
    ("tracks.md", "TrackFinding", "TrackFindingGuide", None, None),
    ("rbm.md", "RBM", "RBMGuide", None, None),
    ("dbn.md", "DBN", "DBNGuide", None, None),
]

FENCE = re.compile(r"^\s*(```|~~~)")
LINK = re.compile(r"(!?)\[([^\]]*)\]\(([^)\s]+)\)")
CODE_SPAN = re.compile(r"(?<!`)`([A-Za-z_][A-Za-z0-9_]*)`(?!`)")
PUBLIC_TYPE = re.compile(r"^public (?:final )?(?:struct|class|enum|protocol|actor|typealias) ([A-Za-z_][A-Za-z0-9_]*)", re.M)


def public_types(module):
    """The top-level public type names declared in Sources/<module>."""
    names = set()
    for folder, _, files in os.walk(os.path.join(ROOT, "Sources", module)):
        if ".docc" in folder:
            continue
        for name in files:
            if name.endswith(".swift"):
                with open(os.path.join(folder, name), encoding="utf-8") as f:
                    names.update(PUBLIC_TYPE.findall(f.read()))
    return names


def section(lines, heading):
    """The lines of `## heading` up to the next heading of level 2 (without the heading line)."""
    out, inside = [], False
    for line in lines:
        if line.startswith("## "):
            if inside:
                break
            inside = line[3:].strip() == heading
            continue
        if inside:
            out.append(line)
    if not inside and not out:
        sys.exit(f"docc-articles: no section '## {heading}' in the guide")
    return out


def rewrite_link(match, guide, images, catalog_out):
    bang, text, target = match.groups()
    if bang:  # an image: copy it into the catalog, refer to it by name
        source = os.path.normpath(os.path.join(ROOT, "docs", target))
        if not os.path.isfile(source):
            sys.exit(f"docc-articles: docs/{guide}: image {target} not found")
        name = os.path.basename(source)
        images.add(name)
        shutil.copyfile(source, os.path.join(catalog_out, name))
        return f"![{text}]({name})"
    if re.match(r"^[a-z]+://", target) or target.startswith("mailto:"):
        return match.group(0)  # a web link stays as it is
    if target.startswith("#"):
        return text  # a heading of the same guide
    path = target.split("#", 1)[0]
    repo_path = os.path.relpath(os.path.normpath(os.path.join(ROOT, "docs", path)), ROOT)
    plain = text.strip("`")
    if plain in (os.path.basename(path), path, repo_path):
        return f"`{repo_path}`"
    return f"{text} (`{repo_path}`)"


def convert(guide, module, article, heading, title):
    catalog_out = os.path.join(ROOT, "Sources", module, f"{module}.docc", "Generated")
    os.makedirs(catalog_out, exist_ok=True)
    with open(os.path.join(ROOT, "docs", guide), encoding="utf-8") as f:
        lines = f.read().split("\n")
    if heading is not None:
        lines = [f"# {title}", ""] + section(lines, heading)
    elif title is not None:
        lines[0] = f"# {title}"
    if not lines[0].startswith("# "):
        sys.exit(f"docc-articles: docs/{guide} does not start with a '# ' title")
    types = public_types(module)
    images = set()
    out, in_fence = [], False
    for line in lines:
        if FENCE.match(line):
            in_fence = not in_fence
            out.append(line)
            continue
        if in_fence:
            out.append(line)
            continue
        if re.match(r"^\s*<!--.*-->\s*$", line):
            continue
        indented_code = line.startswith("    ") and (not out or out[-1].strip() == "" or out[-1].startswith("    "))
        if indented_code:
            out.append(line)
            continue
        line = LINK.sub(lambda m: rewrite_link(m, guide, images, catalog_out), line)
        line = CODE_SPAN.sub(lambda m: f"``{m.group(1)}``" if m.group(1) in types else m.group(0), line)
        out.append(line)
    source = f"docs/{guide}" + (f", section '{heading}'" if heading else "")
    note = f"@Comment {{ Generated by scripts/docc-articles.py from {source}: edit the guide, not this file. }}"
    text = "\n".join(out).rstrip("\n") + "\n\n" + note + "\n"
    with open(os.path.join(catalog_out, f"{article}.md"), "w", encoding="utf-8") as f:
        f.write(text)
    return catalog_out


def main():
    cleaned = set()
    for guide, module, article, heading, title in ARTICLES:
        catalog_out = os.path.join(ROOT, "Sources", module, f"{module}.docc", "Generated")
        if catalog_out not in cleaned and os.path.isdir(catalog_out):
            shutil.rmtree(catalog_out)
        cleaned.add(catalog_out)
        convert(guide, module, article, heading, title)
        print(f"docc-articles: docs/{guide} -> Sources/{module}/{module}.docc/Generated/{article}.md")


if __name__ == "__main__":
    main()
