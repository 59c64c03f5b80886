#!/usr/bin/env python3
"""Fails if a symbol curated in a module's landing page (its Topics groups) has no documentation.

DocC's --warnings-as-errors catches broken links but not an undocumented symbol, which it renders as
"No overview available". This reads the built site (out/docs/data/documentation/<module>.json) and
checks that every symbol in the landing page's own topic sections (not the groups DocC adds for
symbols left ungrouped) has an abstract.

Usage: scripts/docs-topics.py out/docs EnergyCore EnergyFormats ...
"""
import json
import os
import sys


def main():
    site, modules = sys.argv[1], sys.argv[2:]
    problems, curated = [], 0
    for module in modules:
        path = os.path.join(site, "data", "documentation", module.lower() + ".json")
        with open(path, encoding="utf-8") as f:
            page = json.load(f)
        sections = page.get("topicSections", [])
        if not sections:
            problems.append(f"{module}: the landing page has no Topics")
        for section in sections:
            if section.get("generated"):
                continue  # DocC's own groups (Extended Modules, symbols left ungrouped)
            for identifier in section.get("identifiers", []):
                reference = page["references"].get(identifier, {})
                if reference.get("kind") != "symbol":
                    continue
                curated += 1
                if not "".join(part.get("text", "") for part in reference.get("abstract", [])).strip():
                    problems.append(f"{module}: {reference.get('title', identifier)} "
                                    f"(in '{section.get('title')}') has no documentation")
    for problem in problems:
        print(f"docs-topics: {problem}", file=sys.stderr)
    if problems:
        sys.exit(1)
    print(f"docs-topics: {curated} curated symbols in {len(modules)} landing pages, all documented")


if __name__ == "__main__":
    main()
