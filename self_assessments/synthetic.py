BENCH_ARGUMENTS = ()


def bench_step(options, context):
    return None
