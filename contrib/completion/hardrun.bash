# shellcheck shell=bash
# bash completion for hardrun (and its hardrun-runc / hardrun-crun links).
# Installed as share/bash-completion/completions/hardrun.
#
# Completes the runtime commands (hardrun hardens create, run and restore and
# hands every command over), the global options, each command's options,
# and container ids from
# `hardrun [--root DIR] list -q` (a pass-through: the real runtime lists its
# containers under that root).  hardrun's own commands, check and policy, come
# only right after the program name: they take no global options.

_hardrun_commands="checkpoint create delete events exec features kill list pause ps restore
	resume run spec start state update"
_hardrun_own_commands="check policy"
_hardrun_global="--root --log --log-format --debug --systemd-cgroup --rootless --criu --help --version"
# Global options that take a value.
_hardrun_global_value="--root --log --log-format --rootless --criu"

# Options of each command; those ending in '=' take a value.
_hardrun_cmd_options() {
	case $1 in
	create) echo "--bundle= -b= --console-socket= --pid-file= --no-pivot --no-new-keyring --preserve-fds=" ;;
	run) echo "--bundle= -b= --console-socket= --pid-file= --detach -d --keep --no-pivot --no-new-keyring --preserve-fds=" ;;
	restore) echo "--bundle= -b= --image-path= --work-path= --pid-file= --console-socket= --detach -d" ;;
	checkpoint) echo "--image-path= --work-path= --leave-running --tcp-established" ;;
	delete) echo "--force -f" ;;
	exec) echo "--process= -p= --console-socket= --cwd= --env= -e= --tty -t --user= -u= --cap= -c= --detach -d --pid-file= --no-new-privs" ;;
	kill) echo "--all -a" ;;
	list) echo "--format= -f= --quiet -q" ;;
	ps) echo "--format= -f=" ;;
	events) echo "--interval= --stats" ;;
	update) echo "--resources= -r= --pids-limit= --memory= --cpu-shares= --cpu-quota=" ;;
	spec) echo "--bundle= -b= --rootless" ;;
	check) echo "--bundle= -b= --id= --format= --policy= --help -h" ;;
	policy) echo "--explain --format= --policy= --help -h" ;;
	esac
}

# Commands whose argument is an existing container's id.
_hardrun_takes_id() {
	case $1 in
	checkpoint | delete | events | exec | kill | pause | ps | resume | start | state | update) return 0 ;;
	esac
	return 1
}

_hardrun() {
	local cur prev words cword
	if declare -F _init_completion >/dev/null; then
		_init_completion -n = || return
	else
		cur=${COMP_WORDS[COMP_CWORD]}
		prev=${COMP_WORDS[COMP_CWORD - 1]}
		words=("${COMP_WORDS[@]}")
		cword=$COMP_CWORD
	fi

	# Find the command and the global --root, skipping option values.
	local i w cmd='' cmd_at=0 root=()
	for ((i = 1; i < cword; i++)); do
		w=${words[i]}
		case $w in
		--root=*) root=(--root "${w#--root=}") ;;
		--root)
			root=(--root "${words[i + 1]}")
			i=$((i + 1))
			;;
		-*)
			[[ " $_hardrun_global_value " == *" $w "* ]] && i=$((i + 1))
			;;
		*)
			cmd=$w
			cmd_at=$i
			break
			;;
		esac
	done

	if [ -z "$cmd" ]; then
		case $prev in
		--log-format)
			mapfile -t COMPREPLY < <(compgen -W "text json" -- "$cur")
			return
			;;
		--root | --log | --criu)
			mapfile -t COMPREPLY < <(compgen -f -- "$cur")
			return
			;;
		--rootless)
			mapfile -t COMPREPLY < <(compgen -W "true false auto" -- "$cur")
			return
			;;
		esac
		if [[ $cur == -* ]]; then
			mapfile -t COMPREPLY < <(compgen -W "$_hardrun_global" -- "$cur")
		elif [ "$cword" -eq 1 ]; then
			mapfile -t COMPREPLY < <(compgen -W "$_hardrun_commands $_hardrun_own_commands" -- "$cur")
		else
			mapfile -t COMPREPLY < <(compgen -W "$_hardrun_commands" -- "$cur")
		fi
		return
	fi
	# After global options, check and policy are words the runtime does not know.
	if [[ " $_hardrun_own_commands " == *" $cmd "* ]] && [ "$cmd_at" -ne 1 ]; then
		return
	fi

	# After the command: a value for the previous option, an option, or an id.
	local opts with_value='' o
	opts=$(_hardrun_cmd_options "$cmd")
	for o in $opts; do
		[[ $o == *= ]] && with_value+=" ${o%=}"
	done
	if [[ " $with_value " == *" $prev "* ]] && [ "$((cword - 1))" -gt "$cmd_at" ]; then
		case $prev in
		--bundle | -b | --image-path | --work-path | --cwd) mapfile -t COMPREPLY < <(compgen -d -- "$cur") ;;
		--id) ;;
		--format | -f)
			if [[ " $_hardrun_own_commands " == *" $cmd "* ]]; then
				mapfile -t COMPREPLY < <(compgen -W "text json" -- "$cur")
			else
				mapfile -t COMPREPLY < <(compgen -W "table json" -- "$cur")
			fi
			;;
		*) mapfile -t COMPREPLY < <(compgen -f -- "$cur") ;;
		esac
		return
	fi
	if [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "${opts//=/}" -- "$cur")
		return
	fi
	# One id per command, and kill's signal after it.
	local nargs=0
	for ((i = cmd_at + 1; i < cword; i++)); do
		w=${words[i]}
		if [[ $w == -* ]]; then
			[[ " $with_value " == *" $w "* ]] && i=$((i + 1))
			continue
		fi
		nargs=$((nargs + 1))
	done
	if [ "$cmd" = kill ] && [ "$nargs" -eq 1 ]; then
		mapfile -t COMPREPLY < <(compgen -W "TERM KILL INT HUP QUIT USR1 USR2 STOP CONT" -- "$cur")
		return
	fi
	# check's one argument is a config file.
	if [ "$cmd" = check ] && [ "$nargs" -eq 0 ]; then
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		return
	fi
	if [ "$nargs" -eq 0 ] && _hardrun_takes_id "$cmd"; then
		local ids
		ids=$("${words[0]}" "${root[@]}" list -q 2>/dev/null)
		mapfile -t COMPREPLY < <(compgen -W "$ids" -- "$cur")
	fi
}

complete -F _hardrun hardrun hardrun-runc hardrun-crun
