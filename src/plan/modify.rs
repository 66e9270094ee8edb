//! Splitting a property change into the ModifyWorkspaceProperties requests
//! AWS accepts (admin guide, "Modify a WorkSpace"; api notes §8.2).

use super::Modification;

/// The volume increases, in an order where every intermediate size pair is
/// one AWS allows: to grow root past 80 GiB the user volume must first be
/// 100 GiB, and root and user are never changed in one request.
/// Both targets are at least the live sizes (shrinks are refused earlier).
pub(super) fn volume_steps(
    (live_root, live_user): (i32, i32),
    (want_root, want_user): (i32, i32),
) -> Vec<Modification> {
    let mut steps = Vec::new();
    let mut user = live_user;
    if want_root > live_root {
        if user < 100 {
            user = 100;
            steps.push(Modification::UserVolume { gib: user });
        }
        steps.push(Modification::RootVolume { gib: want_root });
    }
    if want_user > user {
        steps.push(Modification::UserVolume { gib: want_user });
    }
    steps
}

#[cfg(test)]
mod tests {
    use super::*;
    use Modification::{RootVolume, UserVolume};

    #[test]
    fn grows_only_the_user_volume_when_root_stays() {
        assert_eq!(volume_steps((80, 10), (80, 50)), [UserVolume { gib: 50 }]);
    }

    #[test]
    fn grows_root_past_80_through_a_100_gib_user_volume() {
        assert_eq!(
            volume_steps((80, 50), (175, 200)),
            [
                UserVolume { gib: 100 },
                RootVolume { gib: 175 },
                UserVolume { gib: 200 }
            ]
        );
        assert_eq!(
            volume_steps((80, 10), (175, 100)),
            [UserVolume { gib: 100 }, RootVolume { gib: 175 }]
        );
    }

    #[test]
    fn grows_root_then_user_when_user_is_already_large() {
        assert_eq!(
            volume_steps((175, 100), (200, 150)),
            [RootVolume { gib: 200 }, UserVolume { gib: 150 }]
        );
    }

    #[test]
    fn nothing_to_do_when_sizes_match() {
        assert!(volume_steps((80, 50), (80, 50)).is_empty());
    }
}
