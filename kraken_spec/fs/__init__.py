"""Safe file access: bounded reads of regular files, staged writes, owned output folders."""
