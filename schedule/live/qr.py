"""QR codes as inline SVG (segno), so the agenda page loads nothing from anywhere else."""

import io

import segno


def qr_svg(data: str) -> str:
    """An SVG <svg> element encoding `data`, scalable (no fixed size), dark on light."""
    code = segno.make(data, error="m", micro=False)
    out = io.BytesIO()
    code.save(
        out,
        kind="svg",
        xmldecl=False,
        svgns=True,
        nl=False,
        omitsize=True,
        border=2,
        dark="#000",
        light="#fff",
        title="QR code of this agenda's link",
    )
    return out.getvalue().decode()
