"""The report page's stylesheet: system fonts, a light and a dark palette (prefers-color-scheme),
colour-blind-safe series colours, charts as CSS classes."""

from __future__ import annotations

__all__ = ["CSS"]

_LIGHT = """
--bg:#fff;--panel:#f6f8fa;--fg:#1f2328;--muted:#59636e;--grid:#e3e6ea;--axis:#8c959f;--line:#d0d7de;
--c1:#0969da;--c2:#1a7f37;--avg:#bc4c00;--err:#cf222e;--t1:#0969da;--t2:#d4a72c;--t3:#1a7f37;
--t4:#8250df;--p50:#80ccff;--p95:#218bff;--p99:#0a3069;--hm:#0969da;--hi:#fff;--hover:rgba(0,0,0,.06)
"""
_DARK = """
--bg:#0d1117;--panel:#161b22;--fg:#e6edf3;--muted:#9198a1;--grid:#262c36;--axis:#6e7681;--line:#30363d;
--c1:#4493f8;--c2:#3fb950;--avg:#f0883e;--err:#f85149;--t1:#4493f8;--t2:#e3b341;--t3:#3fb950;
--t4:#a371f7;--p50:#cae8ff;--p95:#4493f8;--p99:#1f4f9e;--hm:#4493f8;--hi:#0d1117;--hover:rgba(255,255,255,.08)
"""

CSS = ("""
:root{color-scheme:light dark;""" + _LIGHT + """}
@media (prefers-color-scheme:dark){:root{""" + _DARK + """}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);
font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Liberation Sans","DejaVu Sans",sans-serif}
main{max-width:1120px;margin:0 auto;padding:28px 28px 40px}
h1{font-size:26px;margin:0 0 4px}
h2{font-size:19px;margin:0 0 12px}
section{margin:28px 0 0;padding:22px 22px 14px;background:var(--panel);border:1px solid var(--line);border-radius:10px}
.note{color:var(--muted);margin:2px 0;font-size:14px}
code{font:13px ui-monospace,"DejaVu Sans Mono",monospace}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(160px,1fr));gap:14px;background:none;border:0;padding:0}
.card{background:var(--panel);border:1px solid var(--line);border-radius:10px;padding:14px 16px}
.card h2{font-size:14px;font-weight:600;color:var(--muted);margin:0}
.card .big{font-size:28px;font-weight:650;margin:4px 0 0;font-variant-numeric:tabular-nums}
.card .sub{color:var(--muted);font-size:13px;margin:2px 0 0}
figure{margin:0 0 18px}
figcaption{font-weight:600;margin:0 0 6px}
.two{display:grid;grid-template-columns:repeat(auto-fit,minmax(440px,1fr));gap:10px 28px}
svg{display:block;width:100%;height:auto;overflow:visible}
svg text{font-size:12px;fill:var(--muted)}
svg .at{fill:var(--fg);font-weight:600}
svg .lb,svg .val{fill:var(--fg)}
svg .hi{fill:var(--hi)}
.gl{stroke:var(--grid);stroke-width:1;fill:none}
.axis,.tk{stroke:var(--axis);stroke-width:1;fill:none}
.c1{fill:var(--c1)}.c2{fill:var(--c2)}.err{fill:var(--err)}
.t1{fill:var(--t1)}.t2{fill:var(--t2)}.t3{fill:var(--t3)}.t4{fill:var(--t4)}
.p50{fill:var(--p50)}.p95{fill:var(--p95)}.p99{fill:var(--p99)}
.hm{fill:var(--hm)}.hm0{fill:none;stroke:var(--grid)}
polyline.avg{fill:none;stroke:var(--avg);stroke-width:2.5;stroke-linejoin:round}
.hit{fill:transparent}.hit:hover{fill:var(--hover)}
.legend{list-style:none;display:flex;flex-wrap:wrap;gap:4px 18px;margin:4px 0 0 72px;padding:0;font-size:13px}
.legend li{display:flex;align-items:center;gap:6px}
.sw{display:inline-block;width:12px;height:12px;border-radius:2px}
.sw.avg{height:3px;background:var(--avg)}
""" + "".join(f".sw.{c}{{background:var(--{c})}}" for c in ("c1", "c2", "t1", "t2", "t3", "t4", "p50", "p95",
                                                            "p99", "err")) + """
details{margin:6px 0 10px}
summary{cursor:pointer;color:var(--muted);font-size:14px}
table{display:block;overflow-x:auto;max-width:100%;border-collapse:collapse;margin:8px 0;font-size:13px;font-variant-numeric:tabular-nums}
th,td{padding:3px 10px;border-bottom:1px solid var(--line);text-align:right;white-space:nowrap}
thead th{color:var(--muted);font-weight:600}
th:first-child{text-align:left}
tbody th{font-weight:normal}
.empty{color:var(--muted);font-style:italic}
footer{color:var(--muted);font-size:13px;margin:24px 2px 0}
""").replace("\n\n", "\n")
