"""Evidence pages in a real browser: headless Chromium renders them from file:// URLs.

For every seed page (and the largest report of ``../shared/real`` when present) the browser's
DOM must hold exactly one highlight per indicator row, whose text is the row's raw span;
every character of the page must be drawn with a glyph (no tofu: compared on a canvas with a
character no font has); the screenshot must show the highlight colour of every category whose
highlights are on screen, and none of the others. A control page without the bundled font must
show tofu when the machine has no Chinese font of its own, so the tofu check can fail.

Needs Debian's ``chromium`` (``.ci/run`` installs it); skipped with the reason where it is
missing. ``GOVREPORT_CHROMIUM`` names another binary. Screenshots stay in pytest's tmp_path.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

import govreport
from govreport import evidence

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "real" / "raw"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--force-device-scale-factor=1", "--virtual-time-budget=15000"]
WIDTH, HEIGHT = 1280, 1400


def chromium() -> str | None:
    env = os.environ.get("GOVREPORT_CHROMIUM")
    if env:
        return env
    return next((p for n in ("chromium", "chromium-browser", "google-chrome") if (p := shutil.which(n))), None)


BROWSER = chromium()
pytestmark = pytest.mark.skipif(
    BROWSER is None,
    reason="no Chromium here (Debian package 'chromium'; .ci/run installs it with apt-get when it can)")

# Appended to a copy of each page: the side list is hidden (its swatches use the highlight
# colours), then the DOM, the glyphs and the on-screen highlights are written into the page.
HARNESS = r"""
<style>.gr-rows{display:none!important}</style>
<script>
(async () => {
  await document.fonts.ready;
  const out = {marks: {}, fonts: [...document.fonts].map(f => f.family + ':' + f.status),
               tofu: [], blank: [], onscreen: [], present: []};
  for (const m of document.querySelectorAll('mark[data-row]'))
    (out.marks[m.dataset.row] ||= []).push(m.textContent);
  // every character drawn on a canvas in the font of its own element, against a character
  // no font has (the tofu) and a space (nothing drawn)
  const c = document.createElement('canvas'); c.width = 48; c.height = 48;
  const g = c.getContext('2d', {willReadFrequently: true});
  const draw = (font, ch) => {
    g.clearRect(0, 0, 48, 48); g.font = font; g.fillStyle = '#000'; g.textBaseline = 'top';
    g.fillText(ch, 4, 4); const d = g.getImageData(0, 0, 48, 48).data;
    let h = 0; for (let i = 3; i < d.length; i += 4) h = (h * 31 + d[i]) | 0; return h;
  };
  const byFont = new Map();
  const walk = document.createTreeWalker(document.querySelector('.gr-ev'), NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    const st = getComputedStyle(n.parentElement);
    if (n.parentElement.closest('.gr-ov')) continue;  // the transparent copy of a paragraph
    const font = `${st.fontStyle} ${st.fontWeight} 32px ${st.fontFamily}`;
    if (!byFont.has(font)) byFont.set(font, new Set());
    for (const ch of n.data) byFont.get(font).add(ch);
  }
  out.fontsUsed = [...byFont.keys()];
  for (const [font, chars] of byFont) {
    const tofu = draw(font, '\u{10FFFD}'), blank = draw(font, ' ');
    for (const ch of chars) {
      if (/[\p{Z}\p{Cc}\p{Cf}\s]/u.test(ch)) continue;
      const k = draw(font, ch);
      if (k === tofu) out.tofu.push(ch); else if (k === blank) out.blank.push(ch);
    }
  }
  // on screen and unmixed: an innermost highlight of the text layer with a box on the first
  // screen that no overlay highlight (drawn translucent on top) touches
  // (present: any part of it within the screenshot's SHOT_HEIGHT pixels)
  out.innerHeight = innerHeight;
  const bottom = Math.min(innerHeight, SHOT_HEIGHT) - 2;
  const boxes = m => [...m.getClientRects()].filter(r => r.top >= 0 && r.bottom <= bottom
                                                       && r.width * r.height >= 100);
  const over = [...document.querySelectorAll('.gr-ov mark')].flatMap(boxes);
  const hits = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  for (const m of document.querySelectorAll('mark[data-kind]')) {
    if ([...m.getClientRects()].some(r => r.bottom > 0 && r.top < SHOT_HEIGHT)) out.present.push(m.dataset.kind);
    const bs = boxes(m);
    if (!bs.length) continue;
    if (!m.closest('.gr-ov') && !m.querySelector('mark') && bs.some(b => !over.some(o => hits(b, o))))
      out.onscreen.push(m.dataset.kind);
  }
  const pre = document.createElement('pre'); pre.id = 'gr-test-result';
  pre.textContent = JSON.stringify(out); document.body.appendChild(pre);
})();
</script>
"""


def browse(page: Path, tmp: Path, name: str) -> tuple[dict, Path]:
    """Open a copy of ``page`` with the harness; the harness's result and a screenshot."""
    probe = page.with_name(f"_probe_{name}.html")
    probe.write_text(page.read_text(encoding="utf-8").replace(
        "</body>", HARNESS.replace("SHOT_HEIGHT", str(HEIGHT)) + "</body>"), encoding="utf-8")
    shot = tmp / f"{name}.png"
    for _ in range(2):  # a browser that fails to start under load gets one more try
        with tempfile.TemporaryDirectory() as profile:
            proc = subprocess.run(
                [BROWSER, *FLAGS, f"--user-data-dir={profile}", f"--window-size={WIDTH},{HEIGHT}",
                 f"--screenshot={shot}", "--dump-dom", probe.as_uri()],
                capture_output=True, text=True, timeout=180)
        m = re.search(r'<pre id="gr-test-result">(.*?)</pre>', proc.stdout, re.S)
        if m:
            break
    probe.unlink()
    assert m, f"no result from Chromium for {page.name}: {proc.returncode} {proc.stderr[-2000:]}"
    return json.loads(html.unescape(m.group(1))), shot


def colour_counts(png: Path) -> dict[str, int]:
    from PIL import Image

    img = Image.open(png).convert("RGB")
    counts = dict.fromkeys(evidence.COLOURS, 0)
    want = {tuple(int(bg[i : i + 2], 16) for i in (1, 3, 5)): k for k, (bg, _) in evidence.COLOURS.items()}
    for n, rgb in img.getcolors(maxcolors=1 << 24):
        if rgb in want:
            counts[want[rgb]] += n
    return counts


def check(corpus, out: Path, tmp: Path, docs, screenshots: int) -> None:
    ind = corpus.indicators
    for i, d in enumerate(docs):
        rows = ind[(ind.source == d.source) & (ind.part == d.part)]
        res, shot = browse(out / evidence.page_name(d.source, d.part), tmp, f"{i:02d}")
        assert any(f.startswith(f"{evidence.FONT_FAMILY}:loaded") for f in res["fonts"]), res["fonts"]
        assert res["tofu"] == [] and res["blank"] == [], (d.source, res["tofu"][:20], res["blank"][:20])
        assert set(res["marks"]) == {str(x) for x in rows.index}, d.source
        for idx, r in rows.iterrows():
            s, e = d.raw_span(int(r.start), int(r.end))
            assert res["marks"][str(idx)] == [d.raw[s:e]], (d.source, idx)
        if i < screenshots:
            counts = colour_counts(shot)
            for k in evidence.COLOURS:
                if k in res["onscreen"]:
                    assert counts[k] >= 200, (d.source, k, counts)
                if k not in res["present"]:
                    assert counts[k] == 0, (d.source, k, counts)
            assert res["onscreen"], f"{d.source}: no highlight on the first screen"


def test_seed_pages_in_chromium(seed_corpus, tmp_path):
    out = tmp_path / "evidence"
    evidence.write_pages(seed_corpus, out, panel=govreport.panel(seed_corpus))
    check(seed_corpus, out, tmp_path, seed_corpus.documents, screenshots=len(seed_corpus.documents))
    res, shot = browse(out / "index.html", tmp_path, "index")  # the index too: Chinese drawn
    assert res["tofu"] == [] and res["blank"] == []


@pytest.mark.skipif(not REAL.is_dir(), reason=f"{REAL} is absent (the real reports live outside the repository)")
def test_largest_real_report_in_chromium(tmp_path):
    corpus = govreport.read(REAL)
    big = max(corpus.documents, key=lambda d: len(d.text))
    out = tmp_path / "evidence"
    evidence.write_pages(corpus, out)
    check(corpus, out, tmp_path, [big], screenshots=1)


def test_tofu_check_can_fail(seed_corpus, tmp_path):
    """Without the bundled font, a machine with no Chinese font shows tofu, and the check sees it."""
    fc = shutil.which("fc-list")
    if fc is None or subprocess.run([fc, ":lang=zh"], capture_output=True, text=True).stdout.strip():
        pytest.skip("this machine has a Chinese system font (or no fc-list): no tofu to provoke")
    d = seed_corpus.documents[0]
    page = tmp_path / "nofont.html"
    page.write_text(evidence.render(d, seed_corpus.indicators, page=True, font_url=None), encoding="utf-8")
    res, _ = browse(page, tmp_path, "nofont")
    assert len(res["tofu"]) + len(res["blank"]) > 100
