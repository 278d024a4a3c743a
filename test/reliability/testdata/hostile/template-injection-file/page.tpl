Hello ${file("/etc/passwd")}
