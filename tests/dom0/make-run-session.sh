# make-run-session.sh - drive `make run` itself: scripts/run-qemu.sh on an
# ISO built as `make iso` builds it (mkiso.sh's default dom0 command line,
# ACPI on), its serial console fed from a FIFO (sourced by suite
# 62-dom0-disk; bash only).
#
#   mr_session NAME ISO DISK ACTION TOKEN TIMEOUT
#
# Boots ISO with DISK as dom0's state disk (RUN_DISK: created, sparse,
# when missing, as `make run` does), waits for the root shell, types one
# command line that reports where /var/lib/xend is mounted, the DHCP
# lease and the marker a previous session left, then writes TOKEN as the
# new marker, and finally types ACTION (poweroff or reboot).  Output of
# run-qemu.sh (the whole serial console) goes to $MR_DIR/NAME.out, its
# exit status to $MR_DIR/NAME.rc.  RUN_TIMEOUT bounds QEMU; the shell
# wait is bounded by the same TIMEOUT.
#
#   mr_fact NAME KEY -> the value the typed command reported for KEY
#                       (mnt, net, old, wrote), empty if none

MR_DIR=${MR_DIR:?MR_DIR must be set}
. "$(dirname "${BASH_SOURCE[0]}")/shell-session.sh"

mr_session() {
    local name=$1 iso=$2 disk=$3 action=$4 token=$5 t=$6
    local out=$MR_DIR/$name.out fifo=$MR_DIR/$name.in pid line
    rm -f "$out" "$MR_DIR/$name.rc" "$fifo"
    mkfifo "$fifo"
    # Held open read-write so QEMU never blocks opening it or sees EOF.
    exec 7<>"$fifo"
    ( RUN_DISK=$disk RUN_DISK_SIZE=1G RUN_TIMEOUT=$t RUN_FWD_PORT=$(dn_free_port) \
          sh scripts/run-qemu.sh "$iso" <"$fifo" >"$out" 2>&1
      echo $? >"$MR_DIR/$name.rc" ) &
    pid=$!
    # Safe to run twice: mr_fact takes the first answer.
    line="m=\$(grep ' /var/lib/xend ' /proc/mounts | cut -d' ' -f1); echo MR-mnt=\${m:-none}=; j=0; while [ ! -s /run/net/eth0 ] && [ \$j -lt 60 ]; do sleep 1; j=\$((j+1)); done; echo MR-net=\$(tr ' ' _ </run/net/eth0)=; echo MR-old=\$(cat /var/lib/xend/make-run.marker 2>/dev/null || echo none)=; echo $token >/var/lib/xend/make-run.marker; sync; echo MR-wrote=\$(cat /var/lib/xend/make-run.marker)="
    ss_wait_shell "$out" $pid "$t" &&
        ss_type_until 7 "$line" 140 \
            grep -aq 'MR-wrote=[^$]' "$out"
    ss_end 7 $pid "$action" "$t" 60
    wait $pid
    exec 7>&-
    rm -f "$fifo"
    sed -i 's/\r$//' "$out"
}

mr_fact() {
    grep -a -o -m1 "MR-$2=[^=\$]*=" "$MR_DIR/$1.out" 2>/dev/null | head -n 1 |
        sed -E "s/^MR-$2=(.*)=\$/\\1/"
}
