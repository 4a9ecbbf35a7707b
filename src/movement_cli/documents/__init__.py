"""Official documents: the Kế hoạch, Quyết định and Tờ trình of the yearly cycle.

- ``formatting``: pure helpers for Nghị định 30/2020/NĐ-CP lines (number, date, signer,
  recipients) and safe output file names;
- ``context``: ``build_context``, the one context both formats are rendered from;
- ``render``: docx (docxtpl) and Markdown (Jinja) rendering, written atomically;
- ``checker``: ``check_docx``, the Nghị định 30 conformance check.

Nothing here imports jinja2, docxtpl or python-docx at import time.
"""
