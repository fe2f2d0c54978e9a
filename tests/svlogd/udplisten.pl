#!/usr/bin/perl
# udplisten.pl: test helper: receives UDP datagrams on 127.0.0.1 (port written to ./port) and appends each to ./got, until killed.
use strict;
use warnings;
use IO::Socket::INET;
use Socket qw(SOL_SOCKET SO_RCVBUF);

my $s = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => 0, Proto => 'udp')
    or die "udplisten: $!\n";
setsockopt($s, SOL_SOCKET, 33, pack('i', 16 << 20)) # SO_RCVBUFFORCE, as root
    or setsockopt($s, SOL_SOCKET, SO_RCVBUF, pack('i', 16 << 20));
open(my $p, '>', 'port.tmp') or die;
print $p $s->sockport;
close $p;
rename 'port.tmp', 'port';
open(my $f, '>>', 'got') or die;
$f->autoflush(1);
my $d;
while (defined $s->recv($d, 65536)) {
	print $f $d;
}
