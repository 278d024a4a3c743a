${file("/etc/passwd")}
