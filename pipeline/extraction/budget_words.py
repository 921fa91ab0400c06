"""Regex pieces shared by the budget modules."""

# A blank inside a line.
SP = r"[ \t\u00a0]"
# A capitalised word of a proper name.
NAME = r"[A-ZÉÈÀÂÎÔ][\w’'\-]{1,30}"
