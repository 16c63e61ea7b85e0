"""The intake screen (Tiếp nhận): hotline calls and fanpage/Zalo messages become reports."""
