#!/usr/bin/env bash
# The module graph of src/, at top-level-module granularity: for each top-level module
# (src/X.rs or src/X/), the other top-level modules it names through `crate::` paths
# (`use crate::X`, `use crate::{X, Y}`, `crate::X::f()`), comments left out, test code
# included (a test module that imports upwards is an import too). Then the cycles: any
# set of modules that import each other, directly or around a loop, is printed with the
# imports that make it, and the script exits 1. `lib.rs` and `main.rs` only declare and
# start the crate, so they are not nodes. It also fails when a `rules.rs` or a file under a
# `rules/` folder (pure decisions) names the web layer or the database (`crate::web`,
# `crate::db`, `diesel`).
#
#   scripts/module-graph.sh          # the graph, then "no cycle" or the cycles (exit 1)
set -euo pipefail
cd "$(dirname "$0")/.."

exec perl -e '
use strict;
use warnings;

my %modules;
opendir(my $dh, "src") or die "no src/: $!";
for my $entry (sort readdir $dh) {
    next if $entry =~ /^\./;
    if (-d "src/$entry") { $modules{$entry} = 1 }
    elsif ($entry =~ /^(\w+)\.rs$/ && $1 ne "lib" && $1 ne "main") { $modules{$1} = 1 }
}
closedir $dh;

sub files_of {
    my ($m) = @_;
    return ("src/$m.rs") if -f "src/$m.rs";
    my @out;
    my @dirs = ("src/$m");
    while (my $d = shift @dirs) {
        opendir(my $h, $d) or die "$d: $!";
        for my $e (sort readdir $h) {
            next if $e =~ /^\./;
            if (-d "$d/$e") { push @dirs, "$d/$e" } elsif ($e =~ /\.rs$/) { push @out, "$d/$e" }
        }
        closedir $h;
    }
    return @out;
}

# The first path segment of each element of a `{...}` group (nested groups skipped).
sub group_heads {
    my ($text) = @_;
    my @heads;
    my ($depth, $item) = (0, "");
    for my $c (split //, $text) {
        if ($c eq "{") { $depth++; $item .= $c if $depth > 1; next }
        if ($c eq "}") { $depth--; $item .= $c if $depth > 0; next }
        if ($c eq "," && $depth == 0) { push @heads, $item; $item = ""; next }
        $item .= $c;
    }
    push @heads, $item;
    return grep { length } map { /^\s*(\w+)/ ? $1 : "" } @heads;
}

my %edges;    # $edges{from}{to} = [file:line, ...]
for my $m (sort keys %modules) {
    for my $file (files_of($m)) {
        open(my $fh, "<", $file) or die "$file: $!";
        my @lines = <$fh>;
        close $fh;
        # Comments out (line comments and doc comments), strings kept short.
        my $text = "";
        my @line_of;    # offset -> line number
        for my $i (0 .. $#lines) {
            my $l = $lines[$i];
            $l =~ s{^\s*//.*$}{};
            $l =~ s{\s//[^"]*$}{};
            $text .= $l;
        }
        my $line = 1;
        my $pos = 0;
        while ($text =~ /crate::(\{[^;]*?\}|\w+)/g) {
            my ($what, $end) = ($1, pos($text));
            my $at = substr($text, 0, $end);
            my $n = ($at =~ tr/\n//) + 1;
            my @targets = $what =~ /^\{/ ? group_heads(substr($what, 1, -1)) : ($what);
            for my $t (@targets) {
                next unless $modules{$t} && $t ne $m;
                push @{ $edges{$m}{$t} }, "$file:$n";
            }
        }
    }
}

for my $m (sort keys %modules) {
    my @to = sort keys %{ $edges{$m} || {} };
    printf "%-14s -> %s\n", $m, @to ? join(" ", @to) : "(nothing)";
}

# Tarjan: strongly connected components of more than one module are the cycles.
my ($index, @stack, %on, %idx, %low, @sccs) = (0);
sub visit {
    my ($v) = @_;
    $idx{$v} = $low{$v} = $index++;
    push @stack, $v;
    $on{$v} = 1;
    for my $w (sort keys %{ $edges{$v} || {} }) {
        if (!exists $idx{$w}) { visit($w); $low{$v} = $low{$w} if $low{$w} < $low{$v} }
        elsif ($on{$w}) { $low{$v} = $idx{$w} if $idx{$w} < $low{$v} }
    }
    if ($low{$v} == $idx{$v}) {
        my @scc;
        while (1) { my $w = pop @stack; $on{$w} = 0; push @scc, $w; last if $w eq $v }
        push @sccs, [sort @scc] if @scc > 1;
    }
}
for my $m (sort keys %modules) { visit($m) unless exists $idx{$m} }

# Rules are pure: no web layer, no database.
my @impure;
for my $m (sort keys %modules) {
    for my $file (grep { m{/rules(?:\.rs|/.*\.rs)$} } files_of($m)) {
        open(my $fh, "<", $file) or die "$file: $!";
        my $n = 0;
        while (my $l = <$fh>) {
            $n++;
            next if $l =~ m{^\s*//};
            push @impure, "$file:$n: $1" if $l =~ /(crate::(?:web|db)\b|\bdiesel::)/;
        }
        close $fh;
    }
}

print "\n";
if (@impure) {
    print "RULES NOT PURE (a rules file names the web layer or the database):\n";
    print "  $_\n" for @impure;
}
if (!@sccs) { print "no cycle\n"; exit(@impure ? 1 : 0) }
for my $scc (@sccs) {
    my %in = map { $_ => 1 } @$scc;
    print "CYCLE: ", join(" <-> ", @$scc), "\n";
    for my $from (@$scc) {
        for my $to (sort grep { $in{$_} } keys %{ $edges{$from} || {} }) {
            my @at = @{ $edges{$from}{$to} };
            my $more = @at > 3 ? " (+" . (@at - 3) . " more)" : "";
            print "  $from -> $to: ", join(", ", @at[0 .. ($#at < 2 ? $#at : 2)]), "$more\n";
        }
    }
}
exit 1;
'
