#!/usr/bin/perl
# tests/svlogd/lockrec.pl: writes svlogd's lock records (version 3, little-endian, CRC-32C) for tests that set a kill's leftovers up by hand.
#   lockrec.pl record PDEV PINO BOOT LDEV LINO SEQ GEN JMARK CARRY LEN MLEN BEFORE AFTER CINO FIRST LAST INBODY0 SEL0 INBODY1 SEL1 EOF
#   lockrec.pl head PDEV PINO BOOT GEN CARRY_AT SEC NANO
#   lockrec.pl lock RECORD-FILE HEAD-FILE JOURNAL: the whole lock (record at 0, head at 256, journal at 512)
#   lockrec.pl patch LOCK FIELD=VALUE...: sets 64-bit fields of the record in LOCK in place (seq, gen,
#     jmark, carry, len, mlen, before, after: the same offsets in versions 2 and 3), sealed again if version 3
# BOOT is 32 hex digits; FIRST and LAST are bytes (characters).
use strict;
use warnings;

sub crc32c {
	my $c = 0xffffffff;
	for my $b (unpack("C*", $_[0])) {
		$c ^= $b;
		$c = $c & 1 ? ($c >> 1) ^ 0x82f63b78 : $c >> 1 for 1 .. 8;
	}
	return $c ^ 0xffffffff;
}
sub seal { my ($magic, $body) = @_; my $r = $magic . chr(3) . $body; return $r . pack("L<", crc32c($r)); }
sub origin { my ($dev, $ino, $boot) = @_; return pack("Q< Q< H32", $dev, $ino, $boot); }

my $kind = shift;
if ($kind eq "record") {
	my ($pdev, $pino, $boot, @v) = @ARGV;
	my @q = @v[0 .. 10];
	my ($first, $last, @f) = @v[11 .. 17];
	print seal("svlogdR", origin($pdev, $pino, $boot) . pack("Q<11 C7 x", @q,
	    ord($first), ord($last), @f));
} elsif ($kind eq "head") {
	my ($pdev, $pino, $boot, $gen, $at, $sec, $nano) = @ARGV;
	print seal("svlogdJ", origin($pdev, $pino, $boot) . pack("Q< Q< Q< L<", $gen, $at, $sec, $nano));
} elsif ($kind eq "lock") {
	my ($rf, $hf, $journal) = @ARGV;
	local $/;
	open(my $r, "<", $rf) or die; my $rec = <$r>;
	open(my $h, "<", $hf) or die; my $head = <$h>;
	print $rec, "\0" x (256 - length $rec), $head, "\0" x (256 - length $head), $journal;
} elsif ($kind eq "patch") {
	my ($file, @set) = @ARGV;
	my %at = (seq => 56, gen => 64, jmark => 72, carry => 80, len => 88, mlen => 96, before => 104, after => 112);
	open(my $f, "+<", $file) or die "lockrec.pl: $file: $!\n";
	binmode $f;
	local $/;
	my $lock = <$f>;
	for (@set) {
		my ($k, $v) = split /=/;
		defined $at{$k} or die "lockrec.pl: no field $k\n";
		substr($lock, $at{$k}, 8) = pack("Q<", $v);
	}
	substr($lock, 136, 4) = pack("L<", crc32c(substr($lock, 0, 136))) if substr($lock, 0, 8) eq "svlogdR\3";
	seek($f, 0, 0);
	print $f $lock;
	close $f;
} else {
	die "lockrec.pl: unknown kind $kind\n";
}
