#!/usr/bin/env python3
"""Generate a synthetic site of N news articles about one invented story.

Usage: gen_corpus.py N DIR [--hugo]

Writes DIR/site.toml and DIR/content/NNNNN.txt (scraped-looking text with TOML front matter,
menus and footers the cleaner drops). Articles share facts drawn from a common pool, with some
numbers and dates varied, so the claim engine has corroborations and conflicts to find.
With --hugo it also writes DIR/hugo/ : the same bodies as Markdown pages of a minimal Hugo site.
Deterministic: the same N gives the same corpus.
"""
import os
import random
import sys

SYL = ["ka", "lo", "mi", "ren", "tor", "va", "bel", "din", "sa", "quo", "pe", "lan", "mar",
       "ost", "fen", "gri", "hal", "jus", "ner", "wix", "zo", "cha", "dru", "el"]
TITLES = ["chief executive", "transport minister", "chief operating officer", "spokesman",
          "finance director", "union leader", "mayor", "regulator"]
VERBS = ["close", "expand", "suspend", "review", "sell", "rebuild", "audit", "merge"]
NOUNS = ["stations", "branches", "routes", "depots", "offices", "plants", "clinics", "schools"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
FILLER = ("the and residents said with more about several after before during officials local "
          "weather market plan council road water street village people meeting week").split()


def word(rng, n=2):
    return "".join(rng.choice(SYL) for _ in range(n))


def name(rng):
    return word(rng, 2).title() + " " + word(rng, 3).title()


def facts(rng, n):
    """A pool of n facts, each with its own invented names, so facts rarely share rare terms."""
    out = []
    for i in range(n):
        org = word(rng, 3).title() + " " + rng.choice(["Telecom", "Bank", "Energy", "Airlines",
                                                          "Council", "Authority"])
        person, title = name(rng), rng.choice(TITLES)
        place = word(rng, 3).title()
        num = rng.choice([120, 250, 400, 1500, 3000, 5000])
        day = rng.randint(1, 28)
        month = rng.choice(MONTHS)
        verb, noun = rng.choice(VERBS), rng.choice(NOUNS)
        kind = i % 3
        if kind == 0:
            t = f"{org} said it would {verb} {{num}} {noun} in {place} by {month} {{day}}."
        elif kind == 1:
            t = (f"{person}, the {title} of {org}, said \"we will not {verb} our {noun} in "
                 f"{place} without a plan\" on {month} {{day}}.")
        else:
            t = (f"About {{num}} people in {place} were affected when {org} chose to {verb} "
                 f"its {noun}, officials said on {month} {{day}}.")
        out.append((t, num, day))
    return out


def filler(rng):
    words = [rng.choice(FILLER) if rng.random() < 0.5 else word(rng, rng.randint(2, 4))
             for _ in range(rng.randint(12, 24))]
    return " ".join(words).capitalize() + "."


def article(rng, i, pool):
    outlet = word(rng, 2).title() + " " + rng.choice(["Post", "Herald", "Times", "Wire"])
    headline = f"{word(rng, 3).title()} Plans Shake-Up Across {word(rng, 2).title()} Region"
    lines = ["+++", f'title = "{headline}"', f'source = "{outlet}"',
             f'date = "2024-{(i % 12) + 1:02d}-{(i % 28) + 1:02d}"', "+++",
             "Home News Business Politics World Sport Culture Opinion Video Podcasts Newsletters",
             "", headline, "", f"By {name(rng)}", ""]
    for _ in range(rng.randint(8, 14)):
        tmpl, num, day = rng.choice(pool)
        if rng.random() < 0.1:
            num = num + 100
        lines.append(tmpl.format(num=f"{num:,}", day=day))
        lines.append("")
        if rng.random() < 0.6:
            lines.append(filler(rng) + " " + filler(rng))
            lines.append("")
    lines += ["Share this article", "", f"Copyright 2024 {outlet}. All rights reserved.", ""]
    return "\n".join(lines)


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        sys.exit(2)
    n, root = int(sys.argv[1]), sys.argv[2]
    hugo = "--hugo" in sys.argv
    rng = random.Random(n)
    pool = facts(rng, max(10, n * 11 // 3))
    content = os.path.join(root, "content")
    os.makedirs(content, exist_ok=True)
    with open(os.path.join(root, "site.toml"), "w") as f:
        f.write(f'title = "Synthetic briefing, {n} articles"\ncontent_dir = "content"\n'
                'output_dir = "public"\n')
    if hugo:
        hc = os.path.join(root, "hugo", "content", "posts")
        os.makedirs(hc, exist_ok=True)
        os.makedirs(os.path.join(root, "hugo", "layouts", "_default"), exist_ok=True)
        with open(os.path.join(root, "hugo", "hugo.toml"), "w") as f:
            f.write('baseURL = "http://localhost/"\ntitle = "Synthetic"\n'
                    'disableKinds = ["taxonomy", "term"]\n')
        layouts = {
            "baseof.html": "<!DOCTYPE html><html><head><title>{{ .Title }}</title></head>"
                           "<body>{{ block \"main\" . }}{{ end }}</body></html>",
            "single.html": "{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}",
            "list.html": "{{ define \"main\" }}<ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">"
                         "{{ .Title }}</a></li>{{ end }}</ul>{{ end }}",
        }
        for name, text in layouts.items():
            with open(os.path.join(root, "hugo", "layouts", "_default", name), "w") as f:
                f.write(text)
    for i in range(n):
        text = article(rng, i, pool)
        with open(os.path.join(content, f"{i:05d}.txt"), "w") as f:
            f.write(text)
        if hugo:
            fm, body = text.split("+++\n", 2)[1], text.split("+++\n", 2)[2]
            with open(os.path.join(root, "hugo", "content", "posts", f"{i:05d}.md"), "w") as f:
                f.write("+++\n" + fm + "+++\n" + body)


if __name__ == "__main__":
    main()
