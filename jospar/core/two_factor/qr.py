"""A QR code as inline SVG, drawn here from the code's matrix: no outside service, no image
file, and no style attribute (the page's content security policy allows none)."""

from __future__ import annotations

import qrcode
from django.utils.html import escape
from qrcode.constants import ERROR_CORRECT_M


def qr_svg(data: str, *, label: str, module_px: int = 5, border: int = 4) -> str:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=border)
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()
    size = len(matrix)
    parts = [
        f"M{x},{y}h1v1h-1z" for y, row in enumerate(matrix) for x, dark in enumerate(row) if dark
    ]
    side = size * module_px
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{side}" height="{side}" '
        f'viewBox="0 0 {size} {size}" shape-rendering="crispEdges" role="img" '
        f'aria-label="{escape(label)}" class="qr-code">'
        f'<rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path fill="#000" d="{"".join(parts)}"/></svg>'
    )
