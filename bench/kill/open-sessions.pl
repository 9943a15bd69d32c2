#!/usr/bin/perl
# Holds COUNT idle sessions of one user over the server's unix socket (exempt from require_secure_transport), opened
# from this one process, until standard input closes. Uses DBD::mysql, which percona-toolkit needs anyway.
# usage: BENCH_SESSION_PASSWORD=... open-sessions.pl SOCKET USER COUNT
use strict;
use warnings;
use DBI;
use POSIX ();
use IO::Handle;

my ($socket, $user, $count) = @ARGV;
die "usage: open-sessions.pl SOCKET USER COUNT\n" unless defined $count && $count =~ /^\d+$/;
my $password = $ENV{BENCH_SESSION_PASSWORD} // '';
my @sessions;
for my $n (1 .. $count) {
    my $dbh = DBI->connect("DBI:mysql:mysql_socket=$socket", $user, $password, { RaiseError => 0, PrintError => 0 })
        or die "session $n of $count failed: $DBI::errstr\n";
    push @sessions, $dbh;
}
print "ready ", scalar(@sessions), "\n";
STDOUT->flush;
1 while defined(<STDIN>);
# The server has ended most of these sessions; skip DBI's disconnects on dead handles.
POSIX::_exit(0);
