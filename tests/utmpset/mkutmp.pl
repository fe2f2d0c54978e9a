# tests/utmpset/mkutmp.pl: writes glibc-layout utmp records (384 bytes) to stdout, and dumps them back (-d FILE).
use strict;
my $fmt = 's x2 l Z32 a4 Z32 Z256 s s l l l a16 a20';
# Packing with 'a' (not 'Z') allows a line that fills its field without a NUL.
my $packfmt = 's x2 l a32 a4 a32 a256 s s l l l a16 a20';
if (@ARGV && $ARGV[0] eq '-d') {
	open(my $f, '<', $ARGV[1]) or die;
	binmode $f;
	local $/ = \384;
	while (my $r = <$f>) {
		my @v = unpack($fmt, $r);
		# type pid line user host (times left out: they change)
		printf "%d %d %s %s %s len=%d\n", $v[0], $v[1], $v[2], $v[4] eq '' ? '-' : $v[4], $v[5] eq '' ? '-' : $v[5], length $r;
	}
	exit 0;
}
# Arguments: TYPE:PID:LINE:USER:HOST ...
binmode STDOUT;
for my $a (@ARGV) {
	my ($t, $p, $l, $u, $h) = split /:/, $a, 5;
	print pack($packfmt, $t, $p, $l, 'id', $u, $h, 0, 0, 0, 1000000, 0, '', '');
}
