def demo_step():
    from core.demo import Seeded

    return Seeded()
