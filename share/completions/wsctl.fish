# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_wsctl_global_optspecs
    string join \n region= profile= endpoint-url= sim connect-timeout= call-timeout= deadline= h/help V/version
end

function __fish_wsctl_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_wsctl_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_wsctl_using_subcommand
    set -l cmd (__fish_wsctl_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c wsctl -n "__fish_wsctl_needs_command" -l region -d 'AWS region (default: the file\'s `settings.region`, then the AWS chain)' -r
complete -c wsctl -n "__fish_wsctl_needs_command" -l profile -d 'Named AWS profile' -r
complete -c wsctl -n "__fish_wsctl_needs_command" -l endpoint-url -d 'Send API calls to this endpoint instead of AWS (e.g. a `wsctl sim serve`)' -r
complete -c wsctl -n "__fish_wsctl_needs_command" -l connect-timeout -d 'Seconds to wait for a connection to the endpoint' -r
complete -c wsctl -n "__fish_wsctl_needs_command" -l call-timeout -d 'Seconds one API call may take, its retries included' -r
complete -c wsctl -n "__fish_wsctl_needs_command" -l deadline -d 'End the run after this long (e.g. 30m, 2h), as Ctrl-C does: an apply stops starting calls, lets those in flight finish, says what was done, and exits 1' -r
complete -c wsctl -n "__fish_wsctl_needs_command" -l sim -d 'Run against the built-in simulator, its account kept in .wsctl/sim.json'
complete -c wsctl -n "__fish_wsctl_needs_command" -s h -l help -d 'Print help'
complete -c wsctl -n "__fish_wsctl_needs_command" -s V -l version -d 'Print version'
complete -c wsctl -n "__fish_wsctl_needs_command" -f -a "validate" -d 'Check the fleet file without calling AWS'
complete -c wsctl -n "__fish_wsctl_needs_command" -f -a "plan" -d 'Show what apply would change'
complete -c wsctl -n "__fish_wsctl_needs_command" -f -a "apply" -d 'Change the account to match the fleet file'
complete -c wsctl -n "__fish_wsctl_needs_command" -f -a "cost" -d 'Show the stack\'s monthly run-rate: each WorkSpace it owns, priced, and the totals'
complete -c wsctl -n "__fish_wsctl_needs_command" -f -a "usage" -d 'Is the fleet used? Each WorkSpace\'s last connection, hours, cost in both running modes, and a verdict'
complete -c wsctl -n "__fish_wsctl_needs_command" -f -a "tune" -d 'Tune the fleet file\'s running modes to usage: a diff to review, or --write'
complete -c wsctl -n "__fish_wsctl_needs_command" -f -a "show" -d 'Render a saved plan'
complete -c wsctl -n "__fish_wsctl_needs_command" -f -a "import" -d 'Write the fleet file of what the account has already, to adopt it'
complete -c wsctl -n "__fish_wsctl_needs_command" -f -a "destroy" -d 'Terminate everything this stack owns'
complete -c wsctl -n "__fish_wsctl_needs_command" -f -a "schema" -d 'Print a JSON Schema: of the fleet file, or of `plan --format json`'
complete -c wsctl -n "__fish_wsctl_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c wsctl -n "__fish_wsctl_needs_command" -f -a "snapshots" -d 'List the rebuild and restore snapshots of the fleet\'s WorkSpaces'
complete -c wsctl -n "__fish_wsctl_needs_command" -f -a "restore" -d 'Restore one WorkSpace to its last restore snapshot (loses what changed since)'
complete -c wsctl -n "__fish_wsctl_needs_command" -f -a "sim" -d 'The WorkSpaces simulator'
complete -c wsctl -n "__fish_wsctl_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wsctl -n "__fish_wsctl_using_subcommand validate" -s f -l file -d 'The fleet file' -r -F
complete -c wsctl -n "__fish_wsctl_using_subcommand validate" -l region -d 'AWS region (default: the file\'s `settings.region`, then the AWS chain)' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand validate" -l profile -d 'Named AWS profile' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand validate" -l endpoint-url -d 'Send API calls to this endpoint instead of AWS (e.g. a `wsctl sim serve`)' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand validate" -l connect-timeout -d 'Seconds to wait for a connection to the endpoint' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand validate" -l call-timeout -d 'Seconds one API call may take, its retries included' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand validate" -l deadline -d 'End the run after this long (e.g. 30m, 2h), as Ctrl-C does: an apply stops starting calls, lets those in flight finish, says what was done, and exits 1' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand validate" -l sim -d 'Run against the built-in simulator, its account kept in .wsctl/sim.json'
complete -c wsctl -n "__fish_wsctl_using_subcommand validate" -s h -l help -d 'Print help'
complete -c wsctl -n "__fish_wsctl_using_subcommand plan" -s f -l file -d 'The fleet file' -r -F
complete -c wsctl -n "__fish_wsctl_using_subcommand plan" -l format -d 'Output format' -r -f -a "human\t'Terraform-like, for a terminal'
json\t'A versioned document (schema/plan.schema.json)'
markdown\t'A pull-request comment: counts, data-loss warning, diffs in folds'"
complete -c wsctl -n "__fish_wsctl_using_subcommand plan" -l target -d 'Plan only this resource (e.g. workspace.alice) and what it depends on; repeatable' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand plan" -l out -d 'Also save the plan (JSON, with fingerprints of what it read) for `wsctl apply PLAN.json`' -r -F
complete -c wsctl -n "__fish_wsctl_using_subcommand plan" -l parallelism -d 'API calls (or batches of 25) in flight at once, reads and writes alike' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand plan" -l tag-reads -d 'How ownership tags are read (default: `[settings] tag_reads`, else bulk)' -r -f -a "bulk\t'The Resource Groups Tagging API lists the stack\'s resources with their tags, 100 a call; DescribeWorkspaces reads them, 25 ids a call'
per-resource\t'Every WorkSpace of every registered directory, paged, and one DescribeTags per WorkSpace, bundle and image: slower, needs no tagging permission, and sees a tag change at once'"
complete -c wsctl -n "__fish_wsctl_using_subcommand plan" -l auto-stop-hours -d 'Hours an AUTO_STOP WorkSpace is assumed to run a month (default: `[settings] auto_stop_hours_per_month`, else 80)' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand plan" -l usage-hours -d 'Price each existing AUTO_STOP WorkSpace at its own hours over the last DAYS days (CloudWatch GetMetricData, 500 WorkSpaces a call; DAYS defaults to 30) instead of the assumed hours' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand plan" -l max-monthly-increase -d 'Fail (exit 1) when the plan adds more than this a month (default: `[settings] max_monthly_increase`)' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand plan" -l region -d 'AWS region (default: the file\'s `settings.region`, then the AWS chain)' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand plan" -l profile -d 'Named AWS profile' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand plan" -l endpoint-url -d 'Send API calls to this endpoint instead of AWS (e.g. a `wsctl sim serve`)' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand plan" -l connect-timeout -d 'Seconds to wait for a connection to the endpoint' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand plan" -l call-timeout -d 'Seconds one API call may take, its retries included' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand plan" -l deadline -d 'End the run after this long (e.g. 30m, 2h), as Ctrl-C does: an apply stops starting calls, lets those in flight finish, says what was done, and exits 1' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand plan" -l detailed-exitcode -d 'Exit 2 when there are changes, 0 when there are none'
complete -c wsctl -n "__fish_wsctl_using_subcommand plan" -l refresh-prices -d 'Fetch the Price List\'s prices again, whatever the cache holds'
complete -c wsctl -n "__fish_wsctl_using_subcommand plan" -l allow-cost-increase -d 'Go on when the plan adds more a month than the guard allows'
complete -c wsctl -n "__fish_wsctl_using_subcommand plan" -l sim -d 'Run against the built-in simulator, its account kept in .wsctl/sim.json'
complete -c wsctl -n "__fish_wsctl_using_subcommand plan" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wsctl -n "__fish_wsctl_using_subcommand apply" -s f -l file -d 'The fleet file' -r -F
complete -c wsctl -n "__fish_wsctl_using_subcommand apply" -l parallelism -d 'API calls (or batches of 25) in flight at once, reads and writes alike' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand apply" -l tag-reads -d 'How ownership tags are read (default: `[settings] tag_reads`, else bulk)' -r -f -a "bulk\t'The Resource Groups Tagging API lists the stack\'s resources with their tags, 100 a call; DescribeWorkspaces reads them, 25 ids a call'
per-resource\t'Every WorkSpace of every registered directory, paged, and one DescribeTags per WorkSpace, bundle and image: slower, needs no tagging permission, and sees a tag change at once'"
complete -c wsctl -n "__fish_wsctl_using_subcommand apply" -l auto-stop-hours -d 'Hours an AUTO_STOP WorkSpace is assumed to run a month (default: `[settings] auto_stop_hours_per_month`, else 80)' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand apply" -l usage-hours -d 'Price each existing AUTO_STOP WorkSpace at its own hours over the last DAYS days (CloudWatch GetMetricData, 500 WorkSpaces a call; DAYS defaults to 30) instead of the assumed hours' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand apply" -l max-monthly-increase -d 'Fail (exit 1) when the plan adds more than this a month (default: `[settings] max_monthly_increase`)' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand apply" -l target -d 'Plan only this resource (e.g. workspace.alice) and what it depends on; repeatable' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand apply" -l region -d 'AWS region (default: the file\'s `settings.region`, then the AWS chain)' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand apply" -l profile -d 'Named AWS profile' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand apply" -l endpoint-url -d 'Send API calls to this endpoint instead of AWS (e.g. a `wsctl sim serve`)' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand apply" -l connect-timeout -d 'Seconds to wait for a connection to the endpoint' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand apply" -l call-timeout -d 'Seconds one API call may take, its retries included' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand apply" -l deadline -d 'End the run after this long (e.g. 30m, 2h), as Ctrl-C does: an apply stops starting calls, lets those in flight finish, says what was done, and exits 1' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand apply" -l auto-approve -d 'Do not ask for confirmation'
complete -c wsctl -n "__fish_wsctl_using_subcommand apply" -l allow-data-loss -d 'Allow changes that lose user data (terminate, replace)'
complete -c wsctl -n "__fish_wsctl_using_subcommand apply" -l refresh-prices -d 'Fetch the Price List\'s prices again, whatever the cache holds'
complete -c wsctl -n "__fish_wsctl_using_subcommand apply" -l allow-cost-increase -d 'Go on when the plan adds more a month than the guard allows'
complete -c wsctl -n "__fish_wsctl_using_subcommand apply" -l no-wait -d 'Return once the calls are accepted, without waiting for WorkSpaces to be ready'
complete -c wsctl -n "__fish_wsctl_using_subcommand apply" -l sim -d 'Run against the built-in simulator, its account kept in .wsctl/sim.json'
complete -c wsctl -n "__fish_wsctl_using_subcommand apply" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wsctl -n "__fish_wsctl_using_subcommand cost" -s f -l file -d 'The fleet file' -r -F
complete -c wsctl -n "__fish_wsctl_using_subcommand cost" -l by -d 'Group the totals by bundle, compute, mode, directory or tag:KEY; repeatable (default: the first four)' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand cost" -l format -d 'Output format' -r -f -a "human\t'Aligned tables, for a terminal'
json\t'A versioned document, for programs'
markdown\t'A pull-request comment: tables and a pie chart by compute type'
csv\t'One row per WorkSpace (RFC 4180), for a spreadsheet'"
complete -c wsctl -n "__fish_wsctl_using_subcommand cost" -l auto-stop-hours -d 'Hours an AUTO_STOP WorkSpace is assumed to run a month (default: `[settings] auto_stop_hours_per_month`, else 80)' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand cost" -l parallelism -d 'API calls (or batches of 25) in flight at once, reads and writes alike' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand cost" -l tag-reads -d 'How ownership tags are read (default: `[settings] tag_reads`, else bulk)' -r -f -a "bulk\t'The Resource Groups Tagging API lists the stack\'s resources with their tags, 100 a call; DescribeWorkspaces reads them, 25 ids a call'
per-resource\t'Every WorkSpace of every registered directory, paged, and one DescribeTags per WorkSpace, bundle and image: slower, needs no tagging permission, and sees a tag change at once'"
complete -c wsctl -n "__fish_wsctl_using_subcommand cost" -l region -d 'AWS region (default: the file\'s `settings.region`, then the AWS chain)' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand cost" -l profile -d 'Named AWS profile' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand cost" -l endpoint-url -d 'Send API calls to this endpoint instead of AWS (e.g. a `wsctl sim serve`)' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand cost" -l connect-timeout -d 'Seconds to wait for a connection to the endpoint' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand cost" -l call-timeout -d 'Seconds one API call may take, its retries included' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand cost" -l deadline -d 'End the run after this long (e.g. 30m, 2h), as Ctrl-C does: an apply stops starting calls, lets those in flight finish, says what was done, and exits 1' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand cost" -l refresh-prices -d 'Fetch the Price List\'s prices again, whatever the cache holds'
complete -c wsctl -n "__fish_wsctl_using_subcommand cost" -l sim -d 'Run against the built-in simulator, its account kept in .wsctl/sim.json'
complete -c wsctl -n "__fish_wsctl_using_subcommand cost" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wsctl -n "__fish_wsctl_using_subcommand usage" -s f -l file -d 'The fleet file' -r -F
complete -c wsctl -n "__fish_wsctl_using_subcommand usage" -l days -d 'Days of usage to judge by, ending now (CloudWatch keeps hourly data 455 days)' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand usage" -l format -d 'Output format' -r -f -a "human\t'Aligned tables, for a terminal'
json\t'A versioned document, for programs'
markdown\t'A pull-request comment: tables and a pie chart by compute type'
csv\t'One row per WorkSpace (RFC 4180), for a spreadsheet'"
complete -c wsctl -n "__fish_wsctl_using_subcommand usage" -l parallelism -d 'API calls (or batches of 25) in flight at once, reads and writes alike' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand usage" -l tag-reads -d 'How ownership tags are read (default: `[settings] tag_reads`, else bulk)' -r -f -a "bulk\t'The Resource Groups Tagging API lists the stack\'s resources with their tags, 100 a call; DescribeWorkspaces reads them, 25 ids a call'
per-resource\t'Every WorkSpace of every registered directory, paged, and one DescribeTags per WorkSpace, bundle and image: slower, needs no tagging permission, and sees a tag change at once'"
complete -c wsctl -n "__fish_wsctl_using_subcommand usage" -l region -d 'AWS region (default: the file\'s `settings.region`, then the AWS chain)' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand usage" -l profile -d 'Named AWS profile' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand usage" -l endpoint-url -d 'Send API calls to this endpoint instead of AWS (e.g. a `wsctl sim serve`)' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand usage" -l connect-timeout -d 'Seconds to wait for a connection to the endpoint' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand usage" -l call-timeout -d 'Seconds one API call may take, its retries included' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand usage" -l deadline -d 'End the run after this long (e.g. 30m, 2h), as Ctrl-C does: an apply stops starting calls, lets those in flight finish, says what was done, and exits 1' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand usage" -l refresh-prices -d 'Fetch the Price List\'s prices again, whatever the cache holds'
complete -c wsctl -n "__fish_wsctl_using_subcommand usage" -l sim -d 'Run against the built-in simulator, its account kept in .wsctl/sim.json'
complete -c wsctl -n "__fish_wsctl_using_subcommand usage" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wsctl -n "__fish_wsctl_using_subcommand tune" -s f -l file -d 'The fleet file' -r -F
complete -c wsctl -n "__fish_wsctl_using_subcommand tune" -l days -d 'Days of usage to judge by, ending now (CloudWatch keeps hourly data 455 days)' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand tune" -l parallelism -d 'API calls (or batches of 25) in flight at once, reads and writes alike' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand tune" -l tag-reads -d 'How ownership tags are read (default: `[settings] tag_reads`, else bulk)' -r -f -a "bulk\t'The Resource Groups Tagging API lists the stack\'s resources with their tags, 100 a call; DescribeWorkspaces reads them, 25 ids a call'
per-resource\t'Every WorkSpace of every registered directory, paged, and one DescribeTags per WorkSpace, bundle and image: slower, needs no tagging permission, and sees a tag change at once'"
complete -c wsctl -n "__fish_wsctl_using_subcommand tune" -l region -d 'AWS region (default: the file\'s `settings.region`, then the AWS chain)' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand tune" -l profile -d 'Named AWS profile' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand tune" -l endpoint-url -d 'Send API calls to this endpoint instead of AWS (e.g. a `wsctl sim serve`)' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand tune" -l connect-timeout -d 'Seconds to wait for a connection to the endpoint' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand tune" -l call-timeout -d 'Seconds one API call may take, its retries included' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand tune" -l deadline -d 'End the run after this long (e.g. 30m, 2h), as Ctrl-C does: an apply stops starting calls, lets those in flight finish, says what was done, and exits 1' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand tune" -l refresh-prices -d 'Fetch the Price List\'s prices again, whatever the cache holds'
complete -c wsctl -n "__fish_wsctl_using_subcommand tune" -l write -d 'Write the edits into the fleet file (a temporary file, then renamed over it) instead of printing its diff'
complete -c wsctl -n "__fish_wsctl_using_subcommand tune" -l sim -d 'Run against the built-in simulator, its account kept in .wsctl/sim.json'
complete -c wsctl -n "__fish_wsctl_using_subcommand tune" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wsctl -n "__fish_wsctl_using_subcommand show" -l format -d 'Output format' -r -f -a "human\t'Terraform-like, for a terminal'
json\t'A versioned document (schema/plan.schema.json)'
markdown\t'A pull-request comment: counts, data-loss warning, diffs in folds'"
complete -c wsctl -n "__fish_wsctl_using_subcommand show" -l region -d 'AWS region (default: the file\'s `settings.region`, then the AWS chain)' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand show" -l profile -d 'Named AWS profile' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand show" -l endpoint-url -d 'Send API calls to this endpoint instead of AWS (e.g. a `wsctl sim serve`)' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand show" -l connect-timeout -d 'Seconds to wait for a connection to the endpoint' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand show" -l call-timeout -d 'Seconds one API call may take, its retries included' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand show" -l deadline -d 'End the run after this long (e.g. 30m, 2h), as Ctrl-C does: an apply stops starting calls, lets those in flight finish, says what was done, and exits 1' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand show" -l sim -d 'Run against the built-in simulator, its account kept in .wsctl/sim.json'
complete -c wsctl -n "__fish_wsctl_using_subcommand show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wsctl -n "__fish_wsctl_using_subcommand import" -l stack -d 'The stack the file is for: its `[settings] stack`, the `wsctl:stack` tag apply gives what it lists' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand import" -l directory -d 'Write only this registered directory and its WorkSpaces; repeatable (default: every registered directory)' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand import" -l user-pattern -d 'Only WorkSpaces whose user name matches this glob (`*` and `?`, any case)' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand import" -s o -l out -d 'Write the file here; `-` or no -o: standard output' -r -F
complete -c wsctl -n "__fish_wsctl_using_subcommand import" -l parallelism -d 'API calls (or batches of 25) in flight at once, reads and writes alike' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand import" -l tag-reads -d 'How ownership tags are read (default: `[settings] tag_reads`, else bulk)' -r -f -a "bulk\t'The Resource Groups Tagging API lists the stack\'s resources with their tags, 100 a call; DescribeWorkspaces reads them, 25 ids a call'
per-resource\t'Every WorkSpace of every registered directory, paged, and one DescribeTags per WorkSpace, bundle and image: slower, needs no tagging permission, and sees a tag change at once'"
complete -c wsctl -n "__fish_wsctl_using_subcommand import" -l region -d 'AWS region (default: the file\'s `settings.region`, then the AWS chain)' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand import" -l profile -d 'Named AWS profile' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand import" -l endpoint-url -d 'Send API calls to this endpoint instead of AWS (e.g. a `wsctl sim serve`)' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand import" -l connect-timeout -d 'Seconds to wait for a connection to the endpoint' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand import" -l call-timeout -d 'Seconds one API call may take, its retries included' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand import" -l deadline -d 'End the run after this long (e.g. 30m, 2h), as Ctrl-C does: an apply stops starting calls, lets those in flight finish, says what was done, and exits 1' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand import" -l include-owned -d 'Also write what the stack owns already (to write its lost fleet file again)'
complete -c wsctl -n "__fish_wsctl_using_subcommand import" -l force -d 'Write over FILE when it exists'
complete -c wsctl -n "__fish_wsctl_using_subcommand import" -l sim -d 'Run against the built-in simulator, its account kept in .wsctl/sim.json'
complete -c wsctl -n "__fish_wsctl_using_subcommand import" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wsctl -n "__fish_wsctl_using_subcommand destroy" -s f -l file -d 'The fleet file' -r -F
complete -c wsctl -n "__fish_wsctl_using_subcommand destroy" -l parallelism -d 'API calls (or batches of 25) in flight at once, reads and writes alike' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand destroy" -l tag-reads -d 'How ownership tags are read (default: `[settings] tag_reads`, else bulk)' -r -f -a "bulk\t'The Resource Groups Tagging API lists the stack\'s resources with their tags, 100 a call; DescribeWorkspaces reads them, 25 ids a call'
per-resource\t'Every WorkSpace of every registered directory, paged, and one DescribeTags per WorkSpace, bundle and image: slower, needs no tagging permission, and sees a tag change at once'"
complete -c wsctl -n "__fish_wsctl_using_subcommand destroy" -l auto-stop-hours -d 'Hours an AUTO_STOP WorkSpace is assumed to run a month (default: `[settings] auto_stop_hours_per_month`, else 80)' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand destroy" -l usage-hours -d 'Price each existing AUTO_STOP WorkSpace at its own hours over the last DAYS days (CloudWatch GetMetricData, 500 WorkSpaces a call; DAYS defaults to 30) instead of the assumed hours' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand destroy" -l max-monthly-increase -d 'Fail (exit 1) when the plan adds more than this a month (default: `[settings] max_monthly_increase`)' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand destroy" -l region -d 'AWS region (default: the file\'s `settings.region`, then the AWS chain)' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand destroy" -l profile -d 'Named AWS profile' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand destroy" -l endpoint-url -d 'Send API calls to this endpoint instead of AWS (e.g. a `wsctl sim serve`)' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand destroy" -l connect-timeout -d 'Seconds to wait for a connection to the endpoint' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand destroy" -l call-timeout -d 'Seconds one API call may take, its retries included' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand destroy" -l deadline -d 'End the run after this long (e.g. 30m, 2h), as Ctrl-C does: an apply stops starting calls, lets those in flight finish, says what was done, and exits 1' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand destroy" -l auto-approve -d 'Do not ask for confirmation'
complete -c wsctl -n "__fish_wsctl_using_subcommand destroy" -l allow-data-loss -d 'Allow changes that lose user data (terminate, replace)'
complete -c wsctl -n "__fish_wsctl_using_subcommand destroy" -l refresh-prices -d 'Fetch the Price List\'s prices again, whatever the cache holds'
complete -c wsctl -n "__fish_wsctl_using_subcommand destroy" -l allow-cost-increase -d 'Go on when the plan adds more a month than the guard allows'
complete -c wsctl -n "__fish_wsctl_using_subcommand destroy" -l sim -d 'Run against the built-in simulator, its account kept in .wsctl/sim.json'
complete -c wsctl -n "__fish_wsctl_using_subcommand destroy" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wsctl -n "__fish_wsctl_using_subcommand schema" -l region -d 'AWS region (default: the file\'s `settings.region`, then the AWS chain)' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand schema" -l profile -d 'Named AWS profile' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand schema" -l endpoint-url -d 'Send API calls to this endpoint instead of AWS (e.g. a `wsctl sim serve`)' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand schema" -l connect-timeout -d 'Seconds to wait for a connection to the endpoint' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand schema" -l call-timeout -d 'Seconds one API call may take, its retries included' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand schema" -l deadline -d 'End the run after this long (e.g. 30m, 2h), as Ctrl-C does: an apply stops starting calls, lets those in flight finish, says what was done, and exits 1' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand schema" -l sim -d 'Run against the built-in simulator, its account kept in .wsctl/sim.json'
complete -c wsctl -n "__fish_wsctl_using_subcommand schema" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wsctl -n "__fish_wsctl_using_subcommand completions" -l region -d 'AWS region (default: the file\'s `settings.region`, then the AWS chain)' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand completions" -l profile -d 'Named AWS profile' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand completions" -l endpoint-url -d 'Send API calls to this endpoint instead of AWS (e.g. a `wsctl sim serve`)' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand completions" -l connect-timeout -d 'Seconds to wait for a connection to the endpoint' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand completions" -l call-timeout -d 'Seconds one API call may take, its retries included' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand completions" -l deadline -d 'End the run after this long (e.g. 30m, 2h), as Ctrl-C does: an apply stops starting calls, lets those in flight finish, says what was done, and exits 1' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand completions" -l sim -d 'Run against the built-in simulator, its account kept in .wsctl/sim.json'
complete -c wsctl -n "__fish_wsctl_using_subcommand completions" -s h -l help -d 'Print help'
complete -c wsctl -n "__fish_wsctl_using_subcommand snapshots" -s f -l file -d 'The fleet file' -r -F
complete -c wsctl -n "__fish_wsctl_using_subcommand snapshots" -l format -d 'Output format' -r -f -a "human\t''
json\t''"
complete -c wsctl -n "__fish_wsctl_using_subcommand snapshots" -l region -d 'AWS region (default: the file\'s `settings.region`, then the AWS chain)' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand snapshots" -l profile -d 'Named AWS profile' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand snapshots" -l endpoint-url -d 'Send API calls to this endpoint instead of AWS (e.g. a `wsctl sim serve`)' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand snapshots" -l connect-timeout -d 'Seconds to wait for a connection to the endpoint' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand snapshots" -l call-timeout -d 'Seconds one API call may take, its retries included' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand snapshots" -l deadline -d 'End the run after this long (e.g. 30m, 2h), as Ctrl-C does: an apply stops starting calls, lets those in flight finish, says what was done, and exits 1' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand snapshots" -l sim -d 'Run against the built-in simulator, its account kept in .wsctl/sim.json'
complete -c wsctl -n "__fish_wsctl_using_subcommand snapshots" -s h -l help -d 'Print help'
complete -c wsctl -n "__fish_wsctl_using_subcommand restore" -s f -l file -d 'The fleet file' -r -F
complete -c wsctl -n "__fish_wsctl_using_subcommand restore" -l region -d 'AWS region (default: the file\'s `settings.region`, then the AWS chain)' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand restore" -l profile -d 'Named AWS profile' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand restore" -l endpoint-url -d 'Send API calls to this endpoint instead of AWS (e.g. a `wsctl sim serve`)' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand restore" -l connect-timeout -d 'Seconds to wait for a connection to the endpoint' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand restore" -l call-timeout -d 'Seconds one API call may take, its retries included' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand restore" -l deadline -d 'End the run after this long (e.g. 30m, 2h), as Ctrl-C does: an apply stops starting calls, lets those in flight finish, says what was done, and exits 1' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand restore" -l snapshot-current-volumes -d 'Not possible through the WorkSpaces API: RestoreWorkspace takes only the WorkSpace id, and no call snapshots volumes on demand. wsctl refuses the flag, having changed nothing, rather than ignore it'
complete -c wsctl -n "__fish_wsctl_using_subcommand restore" -l allow-data-loss -d 'Allow the restore: what changed since the last restore snapshot is lost'
complete -c wsctl -n "__fish_wsctl_using_subcommand restore" -l sim -d 'Run against the built-in simulator, its account kept in .wsctl/sim.json'
complete -c wsctl -n "__fish_wsctl_using_subcommand restore" -s h -l help -d 'Print help'
complete -c wsctl -n "__fish_wsctl_using_subcommand sim; and not __fish_seen_subcommand_from serve help" -l region -d 'AWS region (default: the file\'s `settings.region`, then the AWS chain)' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand sim; and not __fish_seen_subcommand_from serve help" -l profile -d 'Named AWS profile' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand sim; and not __fish_seen_subcommand_from serve help" -l endpoint-url -d 'Send API calls to this endpoint instead of AWS (e.g. a `wsctl sim serve`)' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand sim; and not __fish_seen_subcommand_from serve help" -l connect-timeout -d 'Seconds to wait for a connection to the endpoint' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand sim; and not __fish_seen_subcommand_from serve help" -l call-timeout -d 'Seconds one API call may take, its retries included' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand sim; and not __fish_seen_subcommand_from serve help" -l deadline -d 'End the run after this long (e.g. 30m, 2h), as Ctrl-C does: an apply stops starting calls, lets those in flight finish, says what was done, and exits 1' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand sim; and not __fish_seen_subcommand_from serve help" -l sim -d 'Run against the built-in simulator, its account kept in .wsctl/sim.json'
complete -c wsctl -n "__fish_wsctl_using_subcommand sim; and not __fish_seen_subcommand_from serve help" -s h -l help -d 'Print help'
complete -c wsctl -n "__fish_wsctl_using_subcommand sim; and not __fish_seen_subcommand_from serve help" -f -a "serve" -d 'Serve a WorkSpaces-compatible endpoint on loopback until Ctrl-C'
complete -c wsctl -n "__fish_wsctl_using_subcommand sim; and not __fish_seen_subcommand_from serve help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wsctl -n "__fish_wsctl_using_subcommand sim; and __fish_seen_subcommand_from serve" -l listen -d 'Address to listen on (port 0 picks a free one)' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand sim; and __fish_seen_subcommand_from serve" -l state -d 'Keep the account in this JSON file (created if missing); while the simulator runs, each change is appended to FILE.log before it is answered, and the file is written whole at exit' -r -F
complete -c wsctl -n "__fish_wsctl_using_subcommand sim; and __fish_seen_subcommand_from serve" -l latency-ms -d 'Milliseconds added before every answer' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand sim; and __fish_seen_subcommand_from serve" -l throttle-rps -d 'Answer ThrottlingException above this many requests per second' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand sim; and __fish_seen_subcommand_from serve" -l server-error-rate -d 'Share of requests (0–1) answered with HTTP 500/503' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand sim; and __fish_seen_subcommand_from serve" -l failed-request-rate -d 'Share of batch items (0–1) returned in FailedRequests' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand sim; and __fish_seen_subcommand_from serve" -l unhealthy-rate -d 'Share of new WorkSpaces (0–1) that turn UNHEALTHY soon after they are AVAILABLE' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand sim; and __fish_seen_subcommand_from serve" -l settle-ms -d 'Milliseconds before asynchronous work (PENDING → AVAILABLE, …) settles' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand sim; and __fish_seen_subcommand_from serve" -l visibility-ms -d 'Milliseconds a new WorkSpace id is invisible to DescribeWorkspaces' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand sim; and __fish_seen_subcommand_from serve" -l snapshot-interval-ms -d 'Milliseconds between snapshots of a healthy WorkSpace (AWS: 12 hours)' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand sim; and __fish_seen_subcommand_from serve" -l tag-lag-ms -d 'Milliseconds the tagging API\'s GetResources lags behind tag changes' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand sim; and __fish_seen_subcommand_from serve" -l seed -d 'Seed for ids, fault draws and users\' usage; the same seed replays the same run' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand sim; and __fish_seen_subcommand_from serve" -l region -d 'AWS region (default: the file\'s `settings.region`, then the AWS chain)' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand sim; and __fish_seen_subcommand_from serve" -l profile -d 'Named AWS profile' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand sim; and __fish_seen_subcommand_from serve" -l endpoint-url -d 'Send API calls to this endpoint instead of AWS (e.g. a `wsctl sim serve`)' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand sim; and __fish_seen_subcommand_from serve" -l connect-timeout -d 'Seconds to wait for a connection to the endpoint' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand sim; and __fish_seen_subcommand_from serve" -l call-timeout -d 'Seconds one API call may take, its retries included' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand sim; and __fish_seen_subcommand_from serve" -l deadline -d 'End the run after this long (e.g. 30m, 2h), as Ctrl-C does: an apply stops starting calls, lets those in flight finish, says what was done, and exits 1' -r
complete -c wsctl -n "__fish_wsctl_using_subcommand sim; and __fish_seen_subcommand_from serve" -l fail-account-modification -d 'Make BYOL account modifications end FAILED'
complete -c wsctl -n "__fish_wsctl_using_subcommand sim; and __fish_seen_subcommand_from serve" -l byol-not-enabled -d 'Play an account AWS has not enabled for BYOL: ListAvailableManagementCidrRanges and ModifyAccount answer AccessDeniedException'
complete -c wsctl -n "__fish_wsctl_using_subcommand sim; and __fish_seen_subcommand_from serve" -l tagging-access-denied -d 'Refuse every tagging API call (GetResources) with AccessDeniedException'
complete -c wsctl -n "__fish_wsctl_using_subcommand sim; and __fish_seen_subcommand_from serve" -l pricing-access-denied -d 'Refuse every Price List API call (GetProducts, …) with AccessDeniedException'
complete -c wsctl -n "__fish_wsctl_using_subcommand sim; and __fish_seen_subcommand_from serve" -l cloudwatch-access-denied -d 'Refuse every CloudWatch call (GetMetricData) with AccessDenied'
complete -c wsctl -n "__fish_wsctl_using_subcommand sim; and __fish_seen_subcommand_from serve" -l sim -d 'Run against the built-in simulator, its account kept in .wsctl/sim.json'
complete -c wsctl -n "__fish_wsctl_using_subcommand sim; and __fish_seen_subcommand_from serve" -s h -l help -d 'Print help'
complete -c wsctl -n "__fish_wsctl_using_subcommand sim; and __fish_seen_subcommand_from help" -f -a "serve" -d 'Serve a WorkSpaces-compatible endpoint on loopback until Ctrl-C'
complete -c wsctl -n "__fish_wsctl_using_subcommand sim; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wsctl -n "__fish_wsctl_using_subcommand help; and not __fish_seen_subcommand_from validate plan apply cost usage tune show import destroy schema completions snapshots restore sim help" -f -a "validate" -d 'Check the fleet file without calling AWS'
complete -c wsctl -n "__fish_wsctl_using_subcommand help; and not __fish_seen_subcommand_from validate plan apply cost usage tune show import destroy schema completions snapshots restore sim help" -f -a "plan" -d 'Show what apply would change'
complete -c wsctl -n "__fish_wsctl_using_subcommand help; and not __fish_seen_subcommand_from validate plan apply cost usage tune show import destroy schema completions snapshots restore sim help" -f -a "apply" -d 'Change the account to match the fleet file'
complete -c wsctl -n "__fish_wsctl_using_subcommand help; and not __fish_seen_subcommand_from validate plan apply cost usage tune show import destroy schema completions snapshots restore sim help" -f -a "cost" -d 'Show the stack\'s monthly run-rate: each WorkSpace it owns, priced, and the totals'
complete -c wsctl -n "__fish_wsctl_using_subcommand help; and not __fish_seen_subcommand_from validate plan apply cost usage tune show import destroy schema completions snapshots restore sim help" -f -a "usage" -d 'Is the fleet used? Each WorkSpace\'s last connection, hours, cost in both running modes, and a verdict'
complete -c wsctl -n "__fish_wsctl_using_subcommand help; and not __fish_seen_subcommand_from validate plan apply cost usage tune show import destroy schema completions snapshots restore sim help" -f -a "tune" -d 'Tune the fleet file\'s running modes to usage: a diff to review, or --write'
complete -c wsctl -n "__fish_wsctl_using_subcommand help; and not __fish_seen_subcommand_from validate plan apply cost usage tune show import destroy schema completions snapshots restore sim help" -f -a "show" -d 'Render a saved plan'
complete -c wsctl -n "__fish_wsctl_using_subcommand help; and not __fish_seen_subcommand_from validate plan apply cost usage tune show import destroy schema completions snapshots restore sim help" -f -a "import" -d 'Write the fleet file of what the account has already, to adopt it'
complete -c wsctl -n "__fish_wsctl_using_subcommand help; and not __fish_seen_subcommand_from validate plan apply cost usage tune show import destroy schema completions snapshots restore sim help" -f -a "destroy" -d 'Terminate everything this stack owns'
complete -c wsctl -n "__fish_wsctl_using_subcommand help; and not __fish_seen_subcommand_from validate plan apply cost usage tune show import destroy schema completions snapshots restore sim help" -f -a "schema" -d 'Print a JSON Schema: of the fleet file, or of `plan --format json`'
complete -c wsctl -n "__fish_wsctl_using_subcommand help; and not __fish_seen_subcommand_from validate plan apply cost usage tune show import destroy schema completions snapshots restore sim help" -f -a "completions" -d 'Print a shell completion script'
complete -c wsctl -n "__fish_wsctl_using_subcommand help; and not __fish_seen_subcommand_from validate plan apply cost usage tune show import destroy schema completions snapshots restore sim help" -f -a "snapshots" -d 'List the rebuild and restore snapshots of the fleet\'s WorkSpaces'
complete -c wsctl -n "__fish_wsctl_using_subcommand help; and not __fish_seen_subcommand_from validate plan apply cost usage tune show import destroy schema completions snapshots restore sim help" -f -a "restore" -d 'Restore one WorkSpace to its last restore snapshot (loses what changed since)'
complete -c wsctl -n "__fish_wsctl_using_subcommand help; and not __fish_seen_subcommand_from validate plan apply cost usage tune show import destroy schema completions snapshots restore sim help" -f -a "sim" -d 'The WorkSpaces simulator'
complete -c wsctl -n "__fish_wsctl_using_subcommand help; and not __fish_seen_subcommand_from validate plan apply cost usage tune show import destroy schema completions snapshots restore sim help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wsctl -n "__fish_wsctl_using_subcommand help; and __fish_seen_subcommand_from sim" -f -a "serve" -d 'Serve a WorkSpaces-compatible endpoint on loopback until Ctrl-C'
