# The guest script's output in a console log: the lines after the first EV-BEGIN up to the last
# EV-EXIT. A final line without a newline shares its line with the marker, so its prefix is
# kept; it is printed with a newline unless -v raw=1 (byte-exact, as scripts/qemu-run.sh -o).
!begun { if ($0 == "EV-BEGIN") begun = 1; next }
{ line[++n] = $0 }
END {
	for (i = n; i > 0; i--) if (line[i] ~ /EV-EXIT [0-9]+$/) break
	for (j = 1; j < i; j++) print line[j]
	sub(/EV-EXIT [0-9]+$/, "", line[i])
	if (line[i] != "") printf (raw ? "%s" : "%s\n"), line[i]
}
