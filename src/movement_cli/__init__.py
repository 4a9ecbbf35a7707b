"""movement: the yearly programme of model units of the movement
"Toàn dân bảo vệ an ninh Tổ quốc"."""

__version__ = "0.1.0"
