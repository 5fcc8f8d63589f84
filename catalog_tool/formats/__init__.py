"""Readers and writers: CSV (UTF-8, GBK/GB18030), XLSX, JSON, XML and the official layouts."""
